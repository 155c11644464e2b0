# Sourced by ./nn4j, ./test and .ci/run: finds a Java 25 (or newer) and exports JAVA_HOME and PATH for it.
# Looks in $JAVA_HOME, then the java on PATH, then /usr/lib/jvm/*; says clearly when none is found.

nn4j_java_major() {
  # prints the feature version of the java binary $1 (e.g. 25), or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

nn4j_find_java() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for c in /usr/lib/jvm/*/bin/java /usr/lib/jvm/*/Contents/Home/bin/java; do
    [ -x "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    [ -x "$c" ] || continue
    major=$(nn4j_java_major "$c")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      # resolve symlinks (e.g. /usr/bin/java) to the real JDK home
      c=$(readlink -f "$c")
      export JAVA_HOME="${c%/bin/java}"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "nn4j: no Java 25 found (looked at \$JAVA_HOME, the java on PATH and /usr/lib/jvm/*)." >&2
  echo "nn4j: install a JDK 25 (for example Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}

nn4j_find_java || exit 1
if ! command -v mvn >/dev/null 2>&1; then
  echo "nn4j: Maven (mvn, 3.8 or newer) is not on PATH; install it (e.g. apt-get install -y maven)." >&2
  exit 1
fi
# Maven's own libraries call sun.misc.Unsafe, which Java 24+ warns about on every build; the build is ours, so allow it quietly.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
