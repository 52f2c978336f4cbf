#!/usr/bin/env bash
# KojiComposer's throwaway test stack: a PostgreSQL 15 server, an MIT Kerberos KDC (realm KOJI.TEST, with one
# keytab per test principal), s3rver (S3), azurite-blob (Azure Blob) and docker-registry (OCI registry, pushed to
# with skopeo), all on 127.0.0.1, free ports, no systemd.
#
#   tools/test-stack.sh start    install what is missing, start everything, write <state>/env
#   tools/test-stack.sh stop     stop exactly what start started (by PID files), remove the state dir
#   tools/test-stack.sh status   say what is running; exit 0 when the whole stack is up, 3 otherwise
#
# State dir: $KOJICOMPOSER_STACK_DIR, default <repo>/.test-stack. Use it with: . <state>/env
# Other people's servers on this machine are never touched: only PIDs recorded in the state dir are stopped.
set -euo pipefail

readonly REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${KOJICOMPOSER_STACK_DIR:-$REPO/.test-stack}"
mkdir -p "$(dirname "$STATE")"
STATE="$(cd "$(dirname "$STATE")" && pwd)/$(basename "$STATE")"
readonly STATE

readonly REALM="KOJI.TEST"
readonly PG_BIN="/usr/lib/postgresql/15/bin"
# Debian packages the stack needs. Later servers (s3rver/azurite via npm, docker-registry, skopeo, createrepo-c,
# chromium) extend this list and the matching checks in missing_packages.
# chromium (+ a font for screenshots) for the dashboard browser tests; curl (GSS-API) for the web front's Negotiate tests.
# docker-registry, skopeo and umoci (test images) for the container target; xz-utils for compressed test artifacts.
readonly STACK_PACKAGES=(postgresql-15 krb5-kdc krb5-admin-server krb5-user chromium fonts-dejavu-core curl
    docker-registry skopeo umoci xz-utils)
# npm servers, pinned, installed once into NPM_DIR (kept between runs: outside the state dir, which stop removes).
readonly NPM_PACKAGES=(s3rver@3.7.1 azurite@3.35.0)
readonly NPM_DIR="${KOJICOMPOSER_TEST_TOOLS:-$REPO/.test-tools}/npm"
# principal => keytab file name in <state>/keytabs. Keep in step with tests/KojiComposer.Testing/Stack/TestStack.cs.
readonly PRINCIPALS=(
    "HTTP/localhost=hub"
    "compile/builder1.koji.test=builder1"
    "compile/builder2.koji.test=builder2"
    "releng=releng"
    "osbuild-cg=osbuild-cg"
    "stranger=stranger"
)

say() { printf 'test-stack: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# Runs a PostgreSQL tool as the server's owner: initdb and postgres refuse to run as root.
as_pg() {
    if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# True when PID is alive and its command line contains every further argument (guards against reused PIDs).
pid_is() {
    local pid="$1"; shift
    [[ "$pid" =~ ^[0-9]+$ ]] && [[ -r "/proc/$pid/cmdline" ]] || return 1
    local cmdline
    cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
    local needle
    for needle in "$@"; do
        [[ "$cmdline" == *"$needle"* ]] || return 1
    done
}

# Waits up to $2 tenths of a second for PID $1 to be gone. A zombie (exited, not yet reaped by init) counts as gone
# only at the end of the wait, so that a `pgrep` right after stop rarely still lists it.
wait_gone() {
    local pid="$1" i state
    for ((i = 0; i < $2; i++)); do
        [[ -e "/proc/$pid" ]] || return 0
        sleep 0.1
    done
    state="$(awk '/^State:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)"
    [[ -z "$state" || "$state" == Z ]]
}

# Prints free 127.0.0.1 ports, one per argument: "tcp" (TCP free) or "both" (TCP and UDP free, for the KDC).
free_ports() {
    python3 - "$@" <<'PY'
import socket, sys
chosen = set()
for kind in sys.argv[1:]:
    for _ in range(100):
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.bind(("127.0.0.1", 0))
        port = tcp.getsockname()[1]
        ok = port not in chosen
        if ok and kind == "both":
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                udp.bind(("127.0.0.1", port))
            except OSError:
                ok = False
            udp.close()
        tcp.close()
        if ok:
            chosen.add(port)
            print(port)
            break
    else:
        sys.exit("no free port found")
PY
}

missing_packages() {
    local pkg missing=()
    for pkg in "${STACK_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    if [[ ${#missing[@]} -gt 0 ]]; then printf '%s\n' "${missing[@]}"; fi
}

install_missing() {
    local missing
    mapfile -t missing < <(missing_packages)
    [[ ${#missing[@]} -eq 0 ]] && return 0
    if [[ $EUID -ne 0 ]]; then
        die "missing packages: ${missing[*]}; install them as root: apt-get install --no-install-recommends ${missing[*]}"
    fi
    say "installing ${missing[*]}"
    # On a fresh machine: no default 5432 cluster from postgresql-common, and no service start by the maintainer
    # scripts (there is no systemd; krb5-kdc would fail to start without a realm). Both only affect installs.
    mkdir -p /etc/postgresql-common/createcluster.d
    printf 'create_main_cluster = false\n' >/etc/postgresql-common/createcluster.d/kojicomposer-test-stack.conf
    local made_policy=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
        made_policy=1
    fi
    local rc=0
    {
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 update -q \
            && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q \
                --no-install-recommends "${missing[@]}"
    } </dev/null >&2 || rc=$?
    [[ $made_policy -eq 1 ]] && rm -f /usr/sbin/policy-rc.d
    [[ $rc -eq 0 ]] || die "apt-get failed (exit $rc) installing ${missing[*]}"
}

check_tools() {
    local tool
    for tool in "$PG_BIN/initdb" "$PG_BIN/pg_ctl" /usr/sbin/krb5kdc /usr/sbin/kdb5_util /usr/sbin/kadmin.local \
        /usr/bin/kinit /usr/bin/klist /usr/bin/chromium /usr/bin/curl /usr/bin/docker-registry /usr/bin/skopeo \
        /usr/bin/umoci /usr/bin/xz; do
        [[ -x "$tool" ]] || die "$tool is missing although its package is installed"
    done
    command -v python3 >/dev/null || die "python3 is needed to pick free ports"
    command -v npm >/dev/null || die "npm (Node.js) is needed for s3rver and azurite"
}

# s3rver and azurite from the npm registry, at the pinned versions (a version change reinstalls).
install_npm_servers() {
    local wanted="${NPM_PACKAGES[*]}"
    if [[ -f "$NPM_DIR/.installed" && "$(cat "$NPM_DIR/.installed")" == "$wanted" \
        && -f "$NPM_DIR/node_modules/s3rver/bin/s3rver.js" && -f "$NPM_DIR/node_modules/azurite/dist/src/blob/main.js" ]]; then
        return 0
    fi
    say "installing ${NPM_PACKAGES[*]} into $NPM_DIR"
    rm -rf "$NPM_DIR"
    mkdir -p "$NPM_DIR"
    printf '{"name":"kojicomposer-test-servers","private":true}\n' >"$NPM_DIR/package.json"
    npm install --prefix "$NPM_DIR" --no-audit --no-fund --loglevel=error "${NPM_PACKAGES[@]}" </dev/null \
        >"$NPM_DIR/install.log" 2>&1 || { tail -n 20 "$NPM_DIR/install.log" >&2; die "npm install ${NPM_PACKAGES[*]} failed"; }
    printf '%s\n' "$wanted" >"$NPM_DIR/.installed"
}

# Waits up to 30 s for http://127.0.0.1:$2/ to answer anything while PID $1 lives.
wait_http() {
    local pid="$1" port="$2" i
    for ((i = 0; i < 300; i++)); do
        [[ -e "/proc/$pid" ]] || return 1
        curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" && return 0
        sleep 0.1
    done
    return 1
}

# Starts one background server, retried on another port when it does not answer: NAME, a function that writes
# NAME's config for a port (or "-"), then the command, in which the word PORT becomes the port. PID in
# <state>/NAME.pid, port in <state>/NAME.port, output in <state>/NAME/NAME.log.
start_server() {
    local name="$1" configure="$2"; shift 2
    local attempt port pid arg args
    mkdir -p "$STATE/$name/data"
    for attempt in 1 2 3; do
        port="$(free_ports tcp)"
        [[ "$configure" == - ]] || "$configure" "$port"
        args=()
        for arg in "$@"; do args+=("${arg//PORT/$port}"); done
        setsid "${args[@]}" </dev/null >"$STATE/$name/$name.log" 2>&1 &
        pid=$!
        if wait_http "$pid" "$port"; then
            printf '%s\n' "$pid" >"$STATE/$name.pid"
            printf '%s\n' "$port" >"$STATE/$name.port"
            say "$name on 127.0.0.1:$port (pid $pid)"
            return 0
        fi
        say "$name did not answer on port $port (attempt $attempt); end of its log:"
        tail -n 5 "$STATE/$name/$name.log" >&2 || true
        kill -KILL "$pid" 2>/dev/null || true
        wait_gone "$pid" 20 || true
    done
    die "$name did not start"
}

# docker-registry reads its address from its config file.
write_registry_config() {
    cat >"$STATE/registry/config.yml" <<CONF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STATE/registry/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$1
CONF
}

start_object_servers() {
    start_server s3rver - node "$NPM_DIR/node_modules/s3rver/bin/s3rver.js" \
        -d "$STATE/s3rver/data" -a 127.0.0.1 -p PORT --silent
    start_server azurite - node "$NPM_DIR/node_modules/azurite/dist/src/blob/main.js" --blobHost 127.0.0.1 \
        --blobPort PORT --location "$STATE/azurite/data" --silent --disableTelemetry --skipApiVersionCheck --loose
    start_server registry write_registry_config docker-registry serve "$STATE/registry/config.yml"
}

# Stops a server start_server started, by its PID file, when that PID still runs a command line holding NEEDLE.
stop_server() {
    local name="$1" needle="$2" pid
    [[ -s "$STATE/$name.pid" ]] || return 0
    pid="$(tr -d '[:space:]' <"$STATE/$name.pid")"
    if pid_is "$pid" "$needle"; then
        kill -TERM "$pid" 2>/dev/null || true
        if ! wait_gone "$pid" 50; then
            say "$name (pid $pid) ignored TERM; killing it"
            kill -KILL "$pid" 2>/dev/null || true
            wait_gone "$pid" 20 || true
        fi
        say "stopped $name (pid $pid)"
    fi
    rm -f "$STATE/$name.pid"
}

# Creates the cluster (the slowest step: it runs in the background while the KDC is set up).
init_postgres() {
    local pg_dir
    # The data dir lives under /tmp, not in the state dir: the repo may sit below a directory the postgres user
    # cannot enter (a root-owned mktemp dir, /root), and the socket path must stay short (108 bytes).
    pg_dir="$(mktemp -d /tmp/kojicomposer-pg.XXXXXX)"
    printf '%s\n' "$pg_dir" >"$STATE/postgres.dir"
    if [[ $EUID -eq 0 ]]; then chown postgres: "$pg_dir"; fi
    as_pg "$PG_BIN/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync \
        </dev/null >"$pg_dir/initdb.log" 2>&1 || { cat "$pg_dir/initdb.log" >&2; die "initdb failed"; }
}

start_postgres() {
    local pg_dir attempt port options
    pg_dir="$(cat "$STATE/postgres.dir")"
    for attempt in 1 2 3; do
        port="$(free_ports tcp)"
        # pg_ctl hands -o to /bin/sh: one line, no quotes (mktemp paths have no spaces).
        options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$pg_dir/data"
        options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        if as_pg "$PG_BIN/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w -t 60 -s -o "$options" \
            start </dev/null >/dev/null 2>&1; then
            printf '%s\n' "$port" >"$STATE/postgres.port"
            head -n 1 "$pg_dir/data/postmaster.pid" >"$STATE/postgres.pid"
            say "PostgreSQL 15 on 127.0.0.1:$port (pid $(cat "$STATE/postgres.pid"), data $pg_dir/data)"
            return 0
        fi
        say "PostgreSQL did not start on port $port (attempt $attempt); end of its log:"
        tail -n 5 "$pg_dir/postgres.log" >&2 || true
        rm -f "$pg_dir/postgres.log"
    done
    die "PostgreSQL did not start"
}

write_kerberos_config() {
    local port="$1"
    cat >"$STATE/krb5.conf" <<EOF
# Throwaway realm of KojiComposer's test stack ($STATE). No DNS: every name maps to $REALM explicitly.
[libdefaults]
    default_realm = $REALM
    rdns = false
    dns_canonicalize_hostname = false
    dns_lookup_kdc = false
    dns_lookup_realm = false
    udp_preference_limit = 1
    # Keeps tools that are not told otherwise away from the machine's /tmp/krb5cc_<uid>.
    default_ccache_name = FILE:$STATE/ccache/default

[realms]
    $REALM = {
        kdc = 127.0.0.1:$port
    }

[domain_realm]
    localhost = $REALM
    .koji.test = $REALM
    koji.test = $REALM
EOF
    cat >"$STATE/kdc.conf" <<EOF
[kdcdefaults]
    kdc_listen = 127.0.0.1:$port
    kdc_tcp_listen = 127.0.0.1:$port

[realms]
    $REALM = {
        database_name = $STATE/krb5kdc/principal
        key_stash_file = $STATE/krb5kdc/stash
        acl_file = $STATE/krb5kdc/kadm5.acl
        admin_keytab = FILE:$STATE/krb5kdc/kadm5.keytab
        kdc_listen = 127.0.0.1:$port
        kdc_tcp_listen = 127.0.0.1:$port
        max_life = 1d
        max_renewable_life = 7d
    }

[logging]
    kdc = FILE:$STATE/krb5kdc/kdc.log
EOF
}

start_kdc() {
    export KRB5_CONFIG="$STATE/krb5.conf" KRB5_KDC_PROFILE="$STATE/kdc.conf"
    mkdir -p "$STATE/krb5kdc" "$STATE/keytabs" "$STATE/ccache"
    chmod 700 "$STATE/krb5kdc" "$STATE/keytabs" "$STATE/ccache"
    : >"$STATE/krb5kdc/kadm5.acl"
    write_kerberos_config 0

    local master_password
    master_password="$(head -c 18 /dev/urandom | base64)"
    kdb5_util create -s -r "$REALM" -P "$master_password" </dev/null >"$STATE/krb5kdc/kdb5_util.log" 2>&1 \
        || { cat "$STATE/krb5kdc/kdb5_util.log" >&2; die "kdb5_util create failed"; }

    local entry principal keytab commands=""
    for entry in "${PRINCIPALS[@]}"; do
        principal="${entry%%=*}@$REALM"
        keytab="$STATE/keytabs/${entry#*=}.keytab"
        commands+="addprinc -randkey $principal"$'\n'"ktadd -k \"$keytab\" $principal"$'\n'
    done
    kadmin.local -r "$REALM" <<<"$commands" >"$STATE/krb5kdc/kadmin.log" 2>&1 \
        || { cat "$STATE/krb5kdc/kadmin.log" >&2; die "kadmin.local failed"; }
    for entry in "${PRINCIPALS[@]}"; do
        [[ -s "$STATE/keytabs/${entry#*=}.keytab" ]] \
            || { cat "$STATE/krb5kdc/kadmin.log" >&2; die "no keytab for ${entry%%=*}"; }
    done

    local attempt port pid
    for attempt in 1 2 3; do
        port="$(free_ports both)"
        write_kerberos_config "$port"
        rm -f "$STATE/krb5kdc.pid"
        # krb5kdc forks into the background and writes the child's PID to the -P file.
        if krb5kdc -r "$REALM" -P "$STATE/krb5kdc.pid" </dev/null >>"$STATE/krb5kdc/kdc.log" 2>&1 && verify_kdc; then
            pid="$(cat "$STATE/krb5kdc.pid")"
            printf '%s\n' "$port" >"$STATE/kdc.port"
            say "MIT KDC for $REALM on 127.0.0.1:$port (pid $pid), keytabs in $STATE/keytabs"
            return 0
        fi
        say "the KDC did not answer on port $port (attempt $attempt); end of its log:"
        tail -n 5 "$STATE/krb5kdc/kdc.log" >&2 || true
        : >"$STATE/krb5kdc/kdc.log"
        stop_kdc
    done
    die "the KDC did not start"
}

# The stack is only up when a real client gets a TGT from a keytab.
verify_kdc() {
    local i ccache="FILE:$STATE/ccache/verify"
    for i in $(seq 1 50); do
        [[ -s "$STATE/krb5kdc.pid" ]] && break
        sleep 0.05
    done
    [[ -s "$STATE/krb5kdc.pid" ]] || return 1
    for i in 1 2 3 4 5; do
        if kinit -k -t "$STATE/keytabs/builder1.keytab" -c "$ccache" "compile/builder1.koji.test@$REALM" \
            </dev/null >/dev/null 2>"$STATE/krb5kdc/kinit.log" \
            && klist -c "$ccache" 2>/dev/null | grep -q "krbtgt/$REALM@$REALM"; then
            kdestroy -q -c "$ccache" 2>/dev/null || rm -f "$STATE/ccache/verify"
            return 0
        fi
        sleep 0.1
    done
    cat "$STATE/krb5kdc/kinit.log" >&2
    return 1
}

# Shell single quotes: the connection string has semicolons, paths may have spaces.
shell_quote() { local q="'\\''"; printf "'%s'" "${1//\'/$q}"; }

write_env() {
    local pg_port
    pg_port="$(cat "$STATE/postgres.port")"
    {
        printf '# KojiComposer test stack, started %s. Use it with: . %s\n' "$(date -u +%FT%TZ)" "$(shell_quote "$STATE/env")"
        printf 'export KRB5_CONFIG=%s\n' "$(shell_quote "$STATE/krb5.conf")"
        printf 'export KRB5_KDC_PROFILE=%s\n' "$(shell_quote "$STATE/kdc.conf")"
        printf 'export KRB5_KTNAME=%s\n' "$(shell_quote "$STATE/keytabs/hub.keytab")"
        printf 'export KOJICOMPOSER_TEST_REALM=%s\n' "$(shell_quote "$REALM")"
        printf 'export KOJICOMPOSER_TEST_KEYTABS=%s\n' "$(shell_quote "$STATE/keytabs")"
        printf 'export KOJICOMPOSER_TEST_PG=%s\n' \
            "$(shell_quote "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres")"
        printf 'export KOJICOMPOSER_TEST_STACK=%s\n' "$(shell_quote "$STATE")"
        printf 'export KOJICOMPOSER_TEST_S3=%s\n' "http://127.0.0.1:$(cat "$STATE/s3rver.port")"
        printf 'export KOJICOMPOSER_TEST_AZURITE=%s\n' "http://127.0.0.1:$(cat "$STATE/azurite.port")"
        printf 'export KOJICOMPOSER_TEST_REGISTRY=%s\n' "127.0.0.1:$(cat "$STATE/registry.port")"
    } >"$STATE/env.tmp"
    mv "$STATE/env.tmp" "$STATE/env"
}

stop_postgres() {
    local pg_dir="" pid=""
    [[ -f "$STATE/postgres.dir" ]] && pg_dir="$(cat "$STATE/postgres.dir")"
    [[ -f "$STATE/postgres.pid" ]] && pid="$(cat "$STATE/postgres.pid")"
    # Only ever a directory this script made (a damaged state file must not point rm -rf elsewhere).
    [[ -z "$pg_dir" || "$pg_dir" == /tmp/kojicomposer-pg.* ]] || die "refusing to use $pg_dir from $STATE/postgres.dir"
    if [[ -n "$pg_dir" && -f "$pg_dir/data/postmaster.pid" ]]; then
        as_pg "$PG_BIN/pg_ctl" -D "$pg_dir/data" -m fast -w -t 30 -s stop </dev/null >/dev/null 2>&1 || true
    fi
    if [[ -n "$pid" ]] && pid_is "$pid" postgres "$pg_dir/data" && ! wait_gone "$pid" 20; then
        say "PostgreSQL (pid $pid) ignored pg_ctl stop; killing it"
        kill -KILL "$pid" 2>/dev/null || true
        wait_gone "$pid" 20 || true
    fi
    [[ -n "$pid" ]] && say "stopped PostgreSQL (pid $pid)"
    [[ -n "$pg_dir" ]] && rm -rf "$pg_dir"
    rm -f "$STATE/postgres.pid" "$STATE/postgres.dir"
}

stop_kdc() {
    local pid
    [[ -s "$STATE/krb5kdc.pid" ]] || return 0
    pid="$(tr -d '[:space:]' <"$STATE/krb5kdc.pid")"
    if pid_is "$pid" krb5kdc "$STATE/krb5kdc.pid"; then
        kill -TERM "$pid" 2>/dev/null || true
        if ! wait_gone "$pid" 50; then
            say "the KDC (pid $pid) ignored TERM; killing it"
            kill -KILL "$pid" 2>/dev/null || true
            wait_gone "$pid" 20 || true
        fi
        say "stopped the KDC (pid $pid)"
    fi
    rm -f "$STATE/krb5kdc.pid"
}

do_stop() {
    if [[ ! -d "$STATE" ]]; then
        say "not running ($STATE does not exist)"
        return 0
    fi
    stop_postgres
    stop_kdc
    stop_server s3rver s3rver.js
    stop_server azurite azurite
    stop_server registry docker-registry
    rm -rf "$STATE"
}

do_start() {
    if [[ -d "$STATE" ]]; then
        say "found an old stack in $STATE: stopping it first"
        do_stop
    fi
    install_missing
    check_tools
    install_npm_servers
    mkdir -p "$STATE"
    local started=0 begin init_pid=""
    begin="$(date +%s%N)"
    # A half-started stack is stopped again, so a failed start leaves nothing running.
    trap '[[ $started -eq 1 ]] || { say "start failed: stopping what was started";
        [[ -z $init_pid ]] || wait "$init_pid" 2>/dev/null; do_stop; }' EXIT
    init_postgres &
    init_pid=$!
    start_kdc
    wait "$init_pid" || die "PostgreSQL's initdb failed"
    init_pid=""
    start_postgres
    start_object_servers
    write_env
    started=1
    trap - EXIT
    say "up in $(( ($(date +%s%N) - begin) / 1000000 )) ms; use it with: . $STATE/env"
}

do_status() {
    local up=1 pid port
    if [[ ! -d "$STATE" ]]; then
        say "not running ($STATE does not exist)"
        return 3
    fi
    pid="$(cat "$STATE/postgres.pid" 2>/dev/null || true)"
    port="$(cat "$STATE/postgres.port" 2>/dev/null || true)"
    if [[ -n "$pid" ]] && pid_is "$pid" postgres "$(cat "$STATE/postgres.dir" 2>/dev/null || echo /nonexistent)/data"; then
        say "PostgreSQL: running, pid $pid, 127.0.0.1:$port"
    else
        say "PostgreSQL: not running"; up=0
    fi
    pid="$(tr -d '[:space:]' <"$STATE/krb5kdc.pid" 2>/dev/null || true)"
    port="$(cat "$STATE/kdc.port" 2>/dev/null || true)"
    if [[ -n "$pid" ]] && pid_is "$pid" krb5kdc "$STATE/krb5kdc.pid"; then
        say "KDC ($REALM): running, pid $pid, 127.0.0.1:$port"
    else
        say "KDC ($REALM): not running"; up=0
    fi
    local name needle
    for name in s3rver:s3rver.js azurite:azurite registry:docker-registry; do
        needle="${name#*:}"; name="${name%%:*}"
        pid="$(tr -d '[:space:]' <"$STATE/$name.pid" 2>/dev/null || true)"
        port="$(cat "$STATE/$name.port" 2>/dev/null || true)"
        if [[ -n "$pid" ]] && pid_is "$pid" "$needle"; then
            say "$name: running, pid $pid, 127.0.0.1:$port"
        else
            say "$name: not running"; up=0
        fi
    done
    [[ -f "$STATE/env" ]] || { say "no $STATE/env"; up=0; }
    [[ $up -eq 1 ]] && say "env: . $STATE/env" && return 0
    return 3
}

case "${1:-}" in
    start) do_start ;;
    stop) do_stop ;;
    status) do_status ;;
    *) printf 'usage: %s start|stop|status\n' "$0" >&2; exit 2 ;;
esac
