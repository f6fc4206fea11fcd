#!/usr/bin/env bash
# Consumer tests: build the jsii packages of cdk-bulwark and use them from real Python and Java
# programs, the way users of those languages do.
#
#   1. The Python wheel (dist/python) and the Java artifact (dist/java, a Maven repository) come
#      from `npx projen package:python package:java` (the test:consumers task runs them first);
#      the Go module is attempted here and reported, never required.
#   2. Python: a fresh virtual environment (test/consumers/python/.venv) with the wheel and
#      aws-cdk-lib, constructs, cdk-nag and pytest from PyPI; runs pytest.
#   3. Java: Maven + JUnit 5 (test/consumers/java) against dist/java and Maven Central.
#
# Needs the jsii assembly (.jsii, from `npx projen compile`), node (the jsii runtime), python3,
# mvn with a JDK; go is optional. Idempotent: every run rebuilds the packages and the venv.
# Environment: BULWARK_JAVA_CDK_VERSION (read by scripts/package-java.sh) overrides the aws-cdk-lib
# version the Java artifact and tests use.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=$ROOT/test/consumers
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
export PYTHONDONTWRITEBYTECODE=1
export PIP_DISABLE_PIP_VERSION_CHECK=1
export MAVEN_OPTS="${MAVEN_OPTS:-} -XX:+TieredCompilation -XX:TieredStopAtLevel=1"
M2_REPO=${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}
MVN=(mvn -B -ntp -Dstyle.color=never "-Dmaven.repo.local=$M2_REPO")

TIMINGS=()
step_start=0
run_start=$(date +%s)
begin() { step_start=$(date +%s); echo; echo "=== consumers: $1"; }
end() { local s=$(( $(date +%s) - step_start )); TIMINGS+=("$(printf '%-34s %5d s' "$1" "$s")"); echo "=== consumers: $1 took ${s} s"; }

if [ ! -f .jsii ]; then
  echo "consumers: no .jsii assembly: run 'npx projen compile' first" >&2
  exit 1
fi

# Versions: the library's, and the peer floors it is tested on (package.json devDependencies).
pkg() { node -p "require('./package.json').$1"; }
VERSION=$(pkg version)
CDK_VERSION=$(pkg 'devDependencies["aws-cdk-lib"]')
NAG_VERSION=$(pkg 'devDependencies["cdk-nag"]')
CONSTRUCTS_VERSION=$(pkg 'devDependencies["constructs"]')
echo "consumers: cdk-bulwark $VERSION; aws-cdk-lib $CDK_VERSION, cdk-nag $NAG_VERSION, constructs $CONSTRUCTS_VERSION"

# The packages: projen's package:python (jsii-pacmak) and package:java (scripts/package-java.sh),
# which the test:consumers task runs before this script.
WHEEL=$(ls dist/python/cdk_bulwark-*.whl 2>/dev/null || true)
if [ -z "$WHEEL" ] || [ ! -f dist/java/versions.env ]; then
  echo "consumers: no packages in dist/: run 'npx projen test:consumers' (or package:python and package:java first)" >&2
  exit 1
fi
# shellcheck source=/dev/null
source dist/java/versions.env
jsii_runtime_version=$JSII_RUNTIME_VERSION
echo "consumers: testing $WHEEL and dist/java (aws-cdk-lib $JAVA_CDK_VERSION for Java)"

# ---------------------------------------------------------------------------------------------
# Go is not a declared target. Try it; report and go on when it cannot build.
begin "go module (jsii-pacmak, optional)"
rm -rf dist/go
GO_RESULT="not attempted (no go on PATH)"
if command -v go >/dev/null 2>&1; then
  if npx jsii-pacmak --target go --force-target --no-npmignore >/tmp/consumers-go.$$.log 2>&1; then
    GO_RESULT="built (dist/go)"
  else
    reason=$(grep -m1 -E '403|not available|cannot find module' /tmp/consumers-go.$$.log || grep -m1 -E '[Ee]rror' /tmp/consumers-go.$$.log || true)
    reason=${reason#\#STDERR> }
    GO_RESULT="failed: ${reason:-see the jsii-pacmak output above}"
    tail -n 15 /tmp/consumers-go.$$.log
  fi
  rm -f /tmp/consumers-go.$$.log
fi
echo "consumers: go: $GO_RESULT"
end "go module (jsii-pacmak, optional)"

# ---------------------------------------------------------------------------------------------
begin "python venv + pip install"
VENV=$HERE/python/.venv
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q "$WHEEL" "aws-cdk-lib==$CDK_VERSION" constructs "cdk-nag==$NAG_VERSION" pytest
"$VENV/bin/pip" list 2>/dev/null | grep -i -E '^(cdk-bulwark|aws-cdk-lib|cdk-nag|constructs|jsii|pytest) ' || true
end "python venv + pip install"

status=0
begin "python tests (pytest)"
(cd "$HERE/python" && "$VENV/bin/python" -m pytest --junitxml="$VENV/junit.xml") || status=1
end "python tests (pytest)"

# ---------------------------------------------------------------------------------------------
begin "java tests (mvn test)"
# A release version in the local repository is never fetched again: drop the copy of the last run.
rm -rf "$M2_REPO/io/github/cdkbulwark/cdk-bulwark"
(cd "$HERE/java" && "${MVN[@]}" test "-Dbulwark.version=$VERSION" "-Daws-cdk-lib.version=$JAVA_CDK_VERSION" \
  "-Dcdknag.version=$NAG_VERSION" "-Dconstructs.version=$CONSTRUCTS_VERSION" "-Djsii-runtime.version=$jsii_runtime_version") || status=1
end "java tests (mvn test)"

# ---------------------------------------------------------------------------------------------
echo
echo "=== consumers: timings"
printf '  %s\n' "${TIMINGS[@]}"
echo "  $(printf '%-34s %5d s' total $(( $(date +%s) - run_start )))"
echo "  go: $GO_RESULT"
echo "  java: aws-cdk-lib $JAVA_CDK_VERSION (peer floor $CDK_VERSION)"
python3 - "$VENV/junit.xml" "$HERE"/java/target/surefire-reports/TEST-*.xml <<'PY'
import sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        continue
    for suite in ([root] if root.tag == "testsuite" else root.iter("testsuite")):
        n = lambda k: int(suite.get(k, 0))
        passed += n("tests") - n("failures") - n("errors") - n("skipped")
        failed += n("failures") + n("errors")
        skipped += n("skipped")
print(f"consumers: {passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
PY
exit $status
