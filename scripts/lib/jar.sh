# Sourced by the scripts in scripts/: builds a module's jar when it is missing or older than the
# sources, then prints its path. Usage: jar_path=$(module_jar trial-api)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

module_jar() {
  local module="$1" built
  built="$(compgen -G "$root/$module/target/$module-*.jar" | grep -v -- '-tests.jar' | head -n 1 || true)"
  if [[ -z "$built" || -n "$(find "$root/pom.xml" "$root/$module/pom.xml" "$root/$module/src/main" \
      "$root/trial-randomiser/src/main" -newer "$built" -print -quit)" ]]; then
    echo "Building $module (first run, or sources changed)..." >&2
    mvn -q -B -f "$root/pom.xml" -pl "$module" -am package -DskipTests -DskipITs >&2
    built="$(compgen -G "$root/$module/target/$module-*.jar" | grep -v -- '-tests.jar' | head -n 1)"
  fi
  echo "$built"
}
