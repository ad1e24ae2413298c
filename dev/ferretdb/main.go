// Command ferretdb runs the local stack's database: a private PostgreSQL cluster (initialised on
// first start, reachable through a Unix socket only) and FerretDB's embeddable server with its
// PostgreSQL handler in front of it, so the stack speaks the MongoDB wire protocol without a mongod.
//
// FerretDB 1.x pushes equality filters down as `_jsonb->'field' @> value` and creates the indexes
// declared the MongoDB way as b-trees on `(_jsonb->'field')`, which can't serve `@>`. An event
// trigger (see twinSQL) gives every such b-tree a GIN twin on the same expressions, and
// `plan_cache_mode = force_custom_plan` lets the planner see the field name (FerretDB passes it as a
// parameter) and match that expression: equality lookups use an index.
//
// One process to supervise: PostgreSQL is this process' child and gets SIGINT (fast shutdown) when
// it exits, however it exits; this process stops when its own parent goes away.
// `go install .../cmd/ferretdb@v1.24.2` panics at start (missing generated version.txt), hence this
// small wrapper around the public `ferretdb` package.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"github.com/jackc/pgx/v5"
)

// The PostgreSQL database FerretDB keeps its MongoDB databases in (one schema each).
const pgDatabase = "ferretdb"

// Server settings, pinned here rather than read from the generated postgresql.conf.
func serverSettings(socketDir string, ephemeral bool) []string {
	s := []string{
		"listen_addresses=", // no TCP at all: the Unix socket below only
		"unix_socket_directories=" + socketDir,
		"unix_socket_permissions=0700",
		// FerretDB prepares statements with the field name as a parameter; a generic plan can't
		// match an index expression on `_jsonb->'field'`, a custom plan can
		"plan_cache_mode=force_custom_plan",
		"max_connections=100",
		"shared_buffers=128MB",
		"synchronous_commit=off", // a crash may lose the last few hundred ms, never consistency
		"log_min_messages=fatal", // unique violations are routine here: no ERROR lines
		"log_line_prefix=%m ",
		"timezone=UTC",
		"datestyle=ISO, YMD",
		"lc_messages=C",
	}
	if ephemeral {
		// throw-away clusters (tests, bench): durability is worth nothing there
		s = append(s, "fsync=off", "full_page_writes=off", "autovacuum_naptime=10s")
	}
	return s
}

// twinSQL installs the event triggers: a GIN twin for every b-tree FerretDB creates on
// `_jsonb -> 'field'` expressions (nested paths `a.b` become `_jsonb #> '{a,b}'`, the form its
// filters use), dropped again with the b-tree. Idempotent.
const twinSQL = `
CREATE OR REPLACE FUNCTION whistle_gin_twin_name(btree name) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$ SELECT left(btree, 47) || '_' || substr(md5(btree), 1, 8) || '_gin' $f$;

CREATE OR REPLACE FUNCTION whistle_gin_twin_for(index_oid oid) RETURNS void
LANGUAGE plpgsql AS $f$
DECLARE
  ix record;
  expr text;
  keys text[];
  exprs text[] := '{}';
BEGIN
  SELECT c.relname, n.nspname, t.relname AS tablename, i.indnatts, am.amname
    INTO ix
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_am am ON am.oid = c.relam
   WHERE i.indexrelid = index_oid;
  IF NOT FOUND OR ix.amname <> 'btree' THEN RETURN; END IF;
  FOR k IN 1..ix.indnatts LOOP
    expr := pg_get_indexdef(index_oid, k, false);
    -- (_jsonb -> 'a'::text), ((_jsonb -> 'a'::text) -> 'b'::text), … ; anything else is not FerretDB's
    IF expr !~ '^[(]*_jsonb( -> ''([^'']|'''')*''::text[)]*)+$' THEN RETURN; END IF;
    SELECT array_agg(replace(m[1], '''''', '''') ORDER BY ord) INTO keys
      FROM regexp_matches(expr, '-> ''((?:[^'']|'''')*)''::text', 'g') WITH ORDINALITY AS r(m, ord);
    IF array_length(keys, 1) = 1 THEN
      exprs := exprs || format('(_jsonb -> %L)', keys[1]);
    ELSE
      exprs := exprs || format('(_jsonb #> %L::text[])', keys);
    END IF;
  END LOOP;
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin (%s) WITH (fastupdate = off)',
                 whistle_gin_twin_name(ix.relname), ix.nspname, ix.tablename, array_to_string(exprs, ', '));
END $f$;

CREATE OR REPLACE FUNCTION whistle_gin_twin_created() RETURNS event_trigger
LANGUAGE plpgsql AS $f$
DECLARE cmd record;
BEGIN
  FOR cmd IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE object_type = 'index' LOOP
    PERFORM whistle_gin_twin_for(cmd.objid);
  END LOOP;
END $f$;

CREATE OR REPLACE FUNCTION whistle_gin_twin_dropped() RETURNS event_trigger
LANGUAGE plpgsql AS $f$
DECLARE obj record;
BEGIN
  FOR obj IN SELECT schema_name, object_name FROM pg_event_trigger_dropped_objects()
              WHERE object_type = 'index' AND object_name NOT LIKE '%\_gin' LOOP
    EXECUTE format('DROP INDEX IF EXISTS %I.%I', obj.schema_name, whistle_gin_twin_name(obj.object_name));
  END LOOP;
END $f$;

DO $d$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'whistle_gin_twin_created') THEN
    CREATE EVENT TRIGGER whistle_gin_twin_created ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
      EXECUTE FUNCTION whistle_gin_twin_created();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'whistle_gin_twin_dropped') THEN
    CREATE EVENT TRIGGER whistle_gin_twin_dropped ON sql_drop WHEN TAG IN ('DROP INDEX')
      EXECUTE FUNCTION whistle_gin_twin_dropped();
  END IF;
END $d$;

-- b-trees that predate the trigger (a cluster from an older build) get their twins too
SELECT whistle_gin_twin_for(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace);
`

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address FerretDB listens on")
	pgBin := flag.String("pg-bin", "", "directory of the PostgreSQL server binaries (initdb, postgres)")
	pgData := flag.String("pg-data", "data/postgresql", "PostgreSQL data directory (initialised when empty)")
	socket := flag.String("pg-socket-dir", "", "folder for PostgreSQL's Unix socket (default: a fresh temporary one)")
	ephemeral := flag.Bool("ephemeral", false, "throw-away cluster: fsync off")
	verbose := flag.Bool("verbose", false, "log every connection and request error (default: errors only)")
	flag.Parse()

	level := slog.LevelError
	if *verbose {
		level = slog.LevelInfo
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	go exitWithParent(stop)

	if err := run(ctx, *listen, *pgBin, *pgData, *socket, *ephemeral, logger); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, listen, pgBin, pgData, socketDir string, ephemeral bool, logger *slog.Logger) error {
	if pgBin == "" {
		return errors.New("-pg-bin is required")
	}
	data, err := filepath.Abs(pgData)
	if err != nil {
		return err
	}
	owner, err := serverUser()
	if err != nil {
		return err
	}
	if socketDir == "" {
		// a short private folder: a socket path has at most 107 bytes
		if socketDir, err = os.MkdirTemp("", "whistle-pg-"); err != nil {
			return err
		}
		defer os.RemoveAll(socketDir)
	} else if err := os.MkdirAll(socketDir, 0o700); err != nil {
		return err
	}
	if err := owner.chown(socketDir); err != nil {
		return err
	}

	fresh := false
	if _, err := os.Stat(filepath.Join(data, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		fresh = true
		if err := initdb(pgBin, data, owner); err != nil {
			return err
		}
	}

	pg, err := startPostgres(pgBin, data, socketDir, ephemeral, owner)
	if err != nil {
		return err
	}
	defer pg.stop()

	if err := prepare(ctx, data, socketDir, fresh, pg); err != nil {
		return err
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: listen},
		Logger:        logger,
		Handler:       "postgresql",
		PostgreSQLURL: pgURL(socketDir, pgDatabase),
	})
	if err != nil {
		return err
	}
	log.Printf("ferretdb listening on %s, PostgreSQL data in %s", listen, data)

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	select {
	case err := <-done:
		if ctx.Err() != nil {
			return nil
		}
		return err
	case err := <-pg.exited:
		return fmt.Errorf("postgres exited: %v", err)
	}
}

// user the PostgreSQL server runs as: the current one, or `postgres` when that is root (initdb and
// postgres refuse to run as root).
type serverOwner struct {
	cred *syscall.Credential // nil: the current user
}

func serverUser() (serverOwner, error) {
	if os.Geteuid() != 0 {
		return serverOwner{}, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return serverOwner{}, fmt.Errorf("running as root, PostgreSQL has to run as the `postgres` system user, "+
			"which does not exist (apt-get install postgresql creates it): %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return serverOwner{cred: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}, nil
}

func (o serverOwner) chown(path string) error {
	if o.cred == nil {
		return nil
	}
	return os.Chown(path, int(o.cred.Uid), int(o.cred.Gid))
}

func (o serverOwner) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	// SIGINT (PostgreSQL's fast shutdown) if this process dies, however it dies
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: o.cred, Pdeathsig: syscall.SIGINT, Setpgid: true}
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	if o.cred != nil {
		cmd.Dir = "/"
	}
	return cmd
}

func initdb(pgBin, data string, owner serverOwner) error {
	if err := os.MkdirAll(data, 0o700); err != nil {
		return err
	}
	if err := owner.chown(data); err != nil {
		return err
	}
	log.Printf("initialising a PostgreSQL cluster in %s", data)
	cmd := owner.command(filepath.Join(pgBin, "initdb"),
		"-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions")
	out, err := runLocked(cmd)
	if err != nil {
		hint := ""
		if owner.cred != nil {
			hint = " (as root, PostgreSQL runs as the postgres user: every folder above the data directory must be searchable by it)"
		}
		return fmt.Errorf("initdb failed%s: %v\n%s", hint, err, out)
	}
	return nil
}

type postgres struct {
	cmd    *exec.Cmd
	exited chan error
}

func startPostgres(pgBin, data, socketDir string, ephemeral bool, owner serverOwner) (*postgres, error) {
	args := []string{"-D", data}
	for _, s := range serverSettings(socketDir, ephemeral) {
		args = append(args, "-c", s)
	}
	cmd := owner.command(filepath.Join(pgBin, "postgres"), args...)
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	pg := &postgres{cmd: cmd, exited: make(chan error, 1)}
	started := make(chan error, 1)
	// Pdeathsig fires when the *thread* that forked the child exits: fork from a goroutine locked to
	// its thread for the child's whole life
	go func() {
		runtime.LockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		pg.exited <- cmd.Wait()
	}()
	if err := <-started; err != nil {
		return nil, fmt.Errorf("starting postgres: %w", err)
	}
	return pg, nil
}

func (pg *postgres) stop() {
	if pg.cmd.ProcessState != nil {
		return
	}
	_ = pg.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-pg.exited:
	case <-time.After(20 * time.Second):
		_ = pg.cmd.Process.Kill()
		<-pg.exited
	}
}

// runLocked runs a short command from a thread locked for its duration (see startPostgres).
func runLocked(cmd *exec.Cmd) ([]byte, error) {
	type result struct {
		out []byte
		err error
	}
	ch := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		out, err := cmd.CombinedOutput()
		ch <- result{out, err}
	}()
	r := <-ch
	return r.out, r.err
}

func pgURL(socketDir, db string) string {
	return (&url.URL{
		Scheme:   "postgres",
		User:     url.User("postgres"),
		Path:     "/" + db,
		RawQuery: url.Values{"host": {socketDir}}.Encode(),
	}).String()
}

// prepare waits for the server, then installs the index twins into template1 (so every database
// created later has them) and into FerretDB's database, creating that on first start.
func prepare(ctx context.Context, data, socketDir string, fresh bool, pg *postgres) error {
	deadline := time.Now().Add(60 * time.Second)
	var conn *pgx.Conn
	for {
		var err error
		// connecting before the server is ready logs a FATAL line: wait for postmaster.pid's status
		if ready(data) {
			if conn, err = pgx.Connect(ctx, pgURL(socketDir, "template1")); err == nil {
				break
			}
		} else {
			err = errors.New("not ready")
		}
		select {
		case err := <-pg.exited:
			return fmt.Errorf("postgres exited at start: %v", err)
		default:
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("postgres did not accept connections: %w", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	defer conn.Close(context.Background())

	if _, err := conn.Exec(ctx, twinSQL); err != nil {
		return fmt.Errorf("installing the index twins into template1: %w", err)
	}
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, pgDatabase).
		Scan(&exists); err != nil {
		return err
	}
	if !exists {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{pgDatabase}.Sanitize()); err != nil {
			return err
		}
	}
	if fresh {
		return nil // copied from template1 with the twins
	}
	db, err := pgx.Connect(ctx, pgURL(socketDir, pgDatabase))
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	if _, err := db.Exec(ctx, twinSQL); err != nil {
		return fmt.Errorf("installing the index twins into %s: %w", pgDatabase, err)
	}
	return nil
}

// ready tells whether the server says so in postmaster.pid (its 8th line is the status).
func ready(data string) bool {
	b, err := os.ReadFile(filepath.Join(data, "postmaster.pid"))
	if err != nil {
		return false
	}
	lines := strings.Split(string(b), "\n")
	return len(lines) > 7 && strings.TrimSpace(lines[7]) == "ready"
}

// exitWithParent stops the server when the process that started it is gone (killed without a
// chance to stop its children): its parent changes.
func exitWithParent(stop func()) {
	parent := os.Getppid()
	for {
		time.Sleep(500 * time.Millisecond)
		if os.Getppid() != parent {
			log.Printf("parent process %d is gone; stopping", parent)
			stop()
			return
		}
	}
}
