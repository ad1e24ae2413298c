// Entry point the worker bundles: every workflow type of the service.
export { whistleCase } from './whistle-case';
export { auditAnchor } from './audit-anchor';
export { statsRollup } from './stats-rollup';
