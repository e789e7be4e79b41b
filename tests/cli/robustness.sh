#!/usr/bin/env bash
# Robustness of the command line, one scenario per CTest entry:
#   robustness.sh TAEVAL BUNDLE SCENARIO
# Each scenario checks the exit status, the message, and that a database a
# command refused to change is unchanged (its full dump compared).
set -uo pipefail

taeval=$1
bundle=$2
scenario=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/taeval-robust.XXXXXX")
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

fail() { echo "FAIL: $scenario: $*" >&2; exit 1; }

# Runs taeval, keeping its status and stderr.
run() {
    "$taeval" "$@" >out.txt 2>err.txt
    status=$?
}

expect() {  # expect STATUS [REGEX]: the last run's status and stderr
    [ "$status" -eq "$1" ] || { cat err.txt >&2; fail "exit status $status, expected $1"; }
    [ -z "$2" ] || grep -Eq -- "$2" err.txt || { cat err.txt >&2; fail "stderr does not match: $2"; }
}

dump() { sqlite3 "$1" .dump | sha256sum; }

case $scenario in
lock_exits_busy)
    # Another process holds a write transaction; a write waits --wait
    # seconds, says so, and gives up with 4. Reads go on meanwhile.
    run --db t.db import "$bundle"
    expect 0 ''
    before=$(dump t.db)
    printf 'BEGIN IMMEDIATE;\nDELETE FROM links;\n.print locked\n.shell sleep 120\nROLLBACK;\n' >lock.sql
    sqlite3 t.db <lock.sql >lock.txt 2>&1 &
    locker=$!
    for _ in $(seq 100); do grep -q locked lock.txt 2>/dev/null && break; sleep 0.1; done
    grep -q locked lock.txt || fail "the locker did not take the lock"
    run --db t.db --wait 1 import "$bundle/links.csv" --replace
    expect 4 "busy"
    grep -q "waiting up to 1.0 s" err.txt || fail "no waiting message"
    run --db t.db list states --format json
    [ "$status" -eq 0 ] || fail "a read failed while another process was writing: $(cat err.txt)"
    run --db t.db --wait 1 evaluate
    expect 4 "busy"
    # Killed, the locker's transaction rolls back.
    kill "$locker"
    wait "$locker" 2>/dev/null
    [ "$(dump t.db)" = "$before" ] || fail "the database changed"
    ;;
create_race)
    # Two imports racing to create the same new database: both succeed, one
    # of them finding the files already imported.
    "$taeval" --db new.db import "$bundle" >a.txt 2>&1 &
    a=$!
    "$taeval" --db new.db import "$bundle" >b.txt 2>&1 &
    b=$!
    wait "$a"; sa=$?
    wait "$b"; sb=$?
    [ "$sa" -eq 0 ] && [ "$sb" -eq 0 ] || fail "statuses $sa and $sb: $(cat a.txt b.txt)"
    grep -q "already imported" a.txt b.txt || fail "neither import saw the other's files"
    ;;
read_only)
    # A database its user cannot write: every read works, writes are
    # refused with 2 and the reason, and nothing is written.
    run --db t.db import "$bundle"
    expect 0 ''
    run --db t.db evaluate
    expect 0 ''
    before=$(dump t.db)
    chmod 755 "$work"
    chmod 444 t.db
    as=()
    if [ "$(id -u)" -eq 0 ]; then
        # root writes whatever the permissions say: read as nobody.
        as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    fi
    chmod 555 "$work"
    ro() { "${as[@]}" "$taeval" --db "$work/t.db" "$@" >out.txt 2>err.txt; status=$?; }
    for listing in states providers projects interventions indicators; do
        ro list "$listing" --format json
        [ "$status" -eq 0 ] || fail "list $listing: status $status: $(cat err.txt)"
    done
    ro score --format json;        [ "$status" -eq 0 ] || fail "score: $(cat err.txt)"
    ro effects --format csv;       [ "$status" -eq 0 ] || fail "effects: $(cat err.txt)"
    ro graph rank --format json;   [ "$status" -eq 0 ] || fail "graph rank: $(cat err.txt)"
    ro import "$bundle"
    expect 2 "read-only"
    ro evaluate
    expect 2 "read-only"
    chmod 755 "$work"
    [ "$(dump t.db)" = "$before" ] || fail "the database changed"
    ;;
empty_file)
    # A read command on a zero-byte file writes nothing into it.
    : >empty.db
    run --db empty.db list states
    expect 2 "not a taeval database"
    [ ! -s empty.db ] || fail "a read command wrote into an empty file"
    run --db missing.db list states
    expect 2 "no such database"
    [ ! -e missing.db ] || fail "a read command created a file"
    ;;
foreign_file)
    # Another program's SQLite file is neither read nor written.
    sqlite3 other.db 'CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes(text) VALUES ("x");'
    before=$(dump other.db)
    run --db other.db list states
    expect 2 "not a taeval database"
    run --db other.db import "$bundle"
    expect 2 "not a taeval database"
    run --db other.db init
    expect 2 "not a taeval database"
    [ "$(dump other.db)" = "$before" ] || fail "another program's file was changed"
    ;;
older_schema)
    # A database of schema version 1, as taeval wrote it before runs
    # existed: reads say to run init; init (or a write) migrates it.
    run --db old.db import "$bundle"
    expect 0 ''
    # (and without version 4's roll-up of targets)
    sqlite3 old.db 'DROP TABLE effects; DROP TABLE runs; DROP INDEX targets_key;
        ALTER TABLE targets DROP COLUMN rollup;
        CREATE UNIQUE INDEX targets_key ON targets(indicator_id, IFNULL(state_id, 0), kind, date);
        PRAGMA user_version = 1; PRAGMA application_id = 0;'
    before=$(dump old.db)
    run --db old.db list states
    expect 2 "schema version 1 is older.*taeval init"
    [ "$(dump old.db)" = "$before" ] || fail "a read command migrated the database"
    run --db fresh.db init
    expect 0 ''
    current=$(grep -o "schema version [0-9]*" out.txt)
    run --db old.db init
    expect 0 ''
    grep -q "$current" out.txt || fail "init did not migrate to the current $current: $(cat out.txt)"
    run --db old.db list states --format json
    expect 0 ''
    run --db old.db score --format json
    expect 0 ''
    grep -q '"target": {' out.txt || fail "the migrated targets are not read: $(cat out.txt)"
    ;;
bad_inputs_exit_2)
    # Every class of bad input file exits 2 through the command line and
    # leaves the database as it was.
    run --db t.db import "$bundle"
    expect 0 ''
    before=$(dump t.db)
    mkdir latin1 fifo loop dangling
    printf 'iso3,name,region\nCIV,C\xf4te d'"'"'Ivoire,Africa\n' >latin1/states.csv
    run --db t.db import latin1
    expect 2 "states.csv:2:2 \(name\).*byte 0xF4 at byte offset 22"
    mkfifo fifo/states.csv
    run --db t.db import fifo
    expect 2 "FIFO"
    ln -s b loop/states.csv
    ln -s states.csv loop/b
    run --db t.db import loop/states.csv
    expect 2 "symbolic link loop"
    ln -s "$work/nowhere.csv" dangling/states.csv
    run --db t.db import dangling
    expect 2 "symbolic link to a missing file"
    run --db t.db import "$bundle/states.csv" "$bundle/states.csv"
    expect 2 "named twice"
    [ "$(dump t.db)" = "$before" ] || fail "the database changed"
    ;;
score_statuses)
    # Bad options are usage errors (1) before the database is opened; a
    # declared series without reports is a no_data row in every format, and
    # each row says its as-of date.
    run --db t.db import "$bundle"
    expect 0 ''
    for bad in "--stale-after 0" "--stale-after -1" "--stale-after two" "--as-of 2021-13-01" \
               "--on-track 0.2 --off-track 0.5"; do
        # shellcheck disable=SC2086 # the options split on purpose
        run --db t.db score $bad
        expect 1 ''
    done
    run --db t.db score --stale-after 0
    expect 1 "stale-after"
    run --db t.db score --format json
    expect 0 ''
    grep -q '"state": "NGA"' out.txt || fail "no row for MLA_SHARE@NGA, declared by project P01"
    grep -q '"status": "no_data"' out.txt || fail "no no_data row: $(cat out.txt)"
    grep -q '"as_of": "2021-02-28"' out.txt || fail "no per-row as_of: $(cat out.txt)"
    run --db t.db score --format csv
    expect 0 ''
    head -1 out.txt | grep -q "as of" || fail "no as-of column: $(head -1 out.txt)"
    grep -q "^no_data,MLA_SHARE,NGA," out.txt || fail "no no_data row in CSV: $(cat out.txt)"
    run --db t.db score --stale-after 1 --as-of 2030-12-31
    expect 0 ''
    grep -q "stale" out.txt || fail "nothing stale in 2030: $(cat out.txt)"
    ;;
score_rollups)
    # A bad roll-up in targets.csv is refused with its place (exit 2, the
    # database unchanged); a roll-up takes its own target only; a sum that
    # overflows is a warning on its row, not a failed report.
    run --db t.db import "$bundle"
    expect 0 ''
    before=$(dump t.db)
    mkdir bad good big
    printf 'indicator,state,kind,date,value,rollup\nMLA_HANDLED,,target,2023-12-31,40,region:Atlantis\nMLA_HANDLED,,target,2023-12-31,40,Africa\n' >bad/targets.csv
    run --db t.db import bad
    expect 2 "targets.csv:2:6 \(rollup\): 'region:Atlantis': region:NAME with a region of states.csv"
    grep -q "targets.csv:3:6 (rollup): 'Africa'" err.txt || fail "not every problem reported: $(cat err.txt)"
    [ "$(dump t.db)" = "$before" ] || fail "the database changed"
    printf 'indicator,kind,date,value,rollup\nMLA_HANDLED,target,2023-12-31,40,region:Africa\n' >good/targets.csv
    printf 'indicator,state,period,value\nMLA_RECEIVED,KEN,2020-Q1,1e308\nMLA_RECEIVED,NGA,2020-Q1,1e308\n' >big/observations.csv
    run --db t.db import good big
    expect 0 ''
    run --db t.db score --rollup region --format json
    expect 0 "MLA_RECEIVED region:Africa: the roll-up's value for 2020-Q1 is not a finite number"
    grep -q '"included": 1' out.txt || fail "no included count: $(cat out.txt)"
    grep -q '"value": 40.0' out.txt || fail "region:Africa did not take its target: $(cat out.txt)"
    run --db t.db score --rollup region
    expect 0 'not a finite number'
    grep -Eq "MLA_HANDLED +region:Africa +1/3 " out.txt || fail "no states column: $(cat out.txt)"
    ;;
*)
    fail "unknown scenario"
    ;;
esac
echo "ok: $scenario"
