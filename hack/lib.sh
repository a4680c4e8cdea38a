# Shared by hack/demo.sh, hack/test.sh and the scripts they call (source it): prerequisite checks that stop at
# once with one line naming what is missing and what to do, and `fail` for the one-line error at the end of a
# failed run. Nothing here installs or starts anything.

# fail WHAT [LOG]: one line on stderr, then exit 1.
fail() {
  echo "error: $1${2:+ (full log: $2)}" >&2
  exit 1
}

# major version number of "17.0.15", "1.8.0_392", "21"...
_major() { local v="${1#1.}"; [ "$v" != "$1" ] && [ "${1%%.*}" = 1 ] && echo "${v%%.*}" || echo "${1%%.*}"; }

require_java() {
  command -v java >/dev/null 2>&1 || fail "java not found: install a JDK 17 or newer (Debian: apt-get install openjdk-17-jdk-headless)"
  command -v javac >/dev/null 2>&1 || fail "javac not found: a JDK (not only a JRE) 17 or newer is needed"
  local v
  v=$(java -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -1)
  [ "$(_major "${v:-0}")" -ge 17 ] 2>/dev/null || fail "java ${v:-?} is too old: JDK 17 or newer is needed (set JAVA_HOME/PATH to it)"
}

require_maven() {
  command -v mvn >/dev/null 2>&1 || fail "mvn not found: install Maven 3.8 or newer (Debian: apt-get install maven)"
  local v
  v=$(mvn -v 2>/dev/null | sed -n 's/.*Apache Maven \([0-9][0-9.]*\).*/\1/p' | head -1)
  local major="${v%%.*}" minor
  minor="${v#*.}"; minor="${minor%%.*}"
  { [ "${major:-0}" -gt 3 ] || { [ "${major:-0}" -eq 3 ] && [ "${minor:-0}" -ge 8 ]; }; } 2>/dev/null \
    || fail "Maven ${v:-?} is too old: Maven 3.8 or newer is needed"
}

require_go() {
  command -v go >/dev/null 2>&1 || fail "go not found: Go 1.22 or newer is needed once, to build the Kubernetes binaries (https://go.dev/dl or apt-get install golang)"
  local v
  v=$(go env GOVERSION 2>/dev/null); v="${v#go}"
  local minor="${v#1.}"; minor="${minor%%.*}"
  [ "${v%%.*}" = 1 ] && [ "${minor:-0}" -ge 22 ] 2>/dev/null || fail "go ${v:-?} is too old: Go 1.22 or newer is needed"
}

# require_commands CMD...: each must be on PATH.
require_commands() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || fail "$c not found: it is needed here (Debian package: $(_package_of "$c"))"
  done
}
_package_of() { case "$1" in python3) echo python3 ;; openssl) echo openssl ;; curl) echo curl ;; *) echo "$1" ;; esac; }

# require_disk DIR GIB: at least GIB free where DIR lives (DIR may not exist yet).
require_disk() {
  local dir="$1" need="$2" free
  while [ ! -d "$dir" ]; do dir=$(dirname "$dir"); done
  free=$(df -Pk "$dir" | awk 'NR == 2 { print int($4 / 1048576) }')
  [ "${free:-0}" -ge "$need" ] || fail "only ${free:-0} GiB free under $dir: at least $need GiB are needed (free some space)"
}

# require_free_port PORT: nothing listens on 127.0.0.1:PORT.
require_free_port() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    fail "port $1 on 127.0.0.1 is in use: stop what listens there or pick another port (SWITCHBOARD_DEMO_PORT)"
  fi
}
