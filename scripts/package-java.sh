#!/usr/bin/env bash
# Builds the Java (Maven) artifact of cdk-bulwark into dist/java, a file-based Maven repository.
# projen's `package:java` runs it (see .projenrc.ts); needs the .jsii assembly, mvn and a JDK.
# Writes dist/java/versions.env with the dependency versions the artifact was built against.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
export MAVEN_OPTS="${MAVEN_OPTS:-} -XX:+TieredCompilation -XX:TieredStopAtLevel=1"
M2_REPO=${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}
MVN=(mvn -B -ntp -Dstyle.color=never "-Dmaven.repo.local=$M2_REPO")
CDK_VERSION=$(node -p "require('./package.json').devDependencies['aws-cdk-lib']")

# The Java artifact. jsii-pacmak generates the Maven project; Maven builds it into dist/java.
#
# Plain `jsii-pacmak --target java` (projen's default package:java) cannot build on this machine: its pom takes
# jsii dependencies as version ranges ([2.275.0,3.0.0) and so on), which Maven resolves from the
# repository's maven-metadata.xml, and the Maven Central reachable here serves stale metadata
# (aws-cdk-lib listed up to 2.263.0, cdknag only up to 2.37.x); and aws-cdk-lib 2.275.0 itself is
# not there (2.272.0 is the newest). So the generated project is built here with each range pinned
# to its floor, and aws-cdk-lib to the floor when Maven Central has it, else the newest it has.
# The Java sources, resources (the jsii tarball) and build plugins are pacmak's, unchanged.
JAVA_SRC=dist/consumers-java-src
rm -rf "$JAVA_SRC" dist/java
npx jsii-pacmak --target java --code-only --no-npmignore --outdir "$JAVA_SRC"
JAVA_CDK_VERSION=${BULWARK_JAVA_CDK_VERSION:-}
if [ -z "$JAVA_CDK_VERSION" ]; then
  if "${MVN[@]}" -q dependency:get -Dtransitive=false "-Dartifact=software.amazon.awscdk:aws-cdk-lib:$CDK_VERSION:pom" >/dev/null 2>&1; then
    JAVA_CDK_VERSION=$CDK_VERSION
  else
    JAVA_CDK_VERSION=2.272.0
    echo "package:java: WARNING: aws-cdk-lib $CDK_VERSION (the peer floor) is not on Maven Central as reachable here;"
    echo "package:java: WARNING: the Java build and tests use aws-cdk-lib $JAVA_CDK_VERSION (set BULWARK_JAVA_CDK_VERSION to change)"
  fi
fi
# The published pom keeps pacmak's version ranges (aws-cdk-lib 2.275.0 or later, ...): only the
# build here uses the pinned copy.
cp "$JAVA_SRC/java/pom.xml" "$JAVA_SRC/java/pom.published.xml"
JAVA_VERSIONS=$(python3 - "$JAVA_SRC/java/pom.xml" "$JAVA_CDK_VERSION" <<'PY'
import re, sys
path, cdk = sys.argv[1], sys.argv[2]
pom = open(path).read()
pinned = {}
def pin(m):
    artifact, space, floor = m.group(1), m.group(2), m.group(3)
    version = cdk if artifact == "aws-cdk-lib" else floor
    pinned[artifact] = version
    return f"<artifactId>{artifact}</artifactId>{space}<version>{version}</version>"
pom = re.sub(r"<artifactId>([^<]+)</artifactId>(\s*)<version>\[([^,\]]+),[^<]*</version>", pin, pom)
open(path, "w").write(pom)
print(" ".join(f"{a}={v}" for a, v in pinned.items()))
PY
)
echo "package:java: dependencies pinned: $JAVA_VERSIONS"
jsii_runtime_version=$(tr ' ' '\n' <<<"$JAVA_VERSIONS" | sed -n 's/^jsii-runtime=//p')
(cd "$JAVA_SRC/java" && "${MVN[@]}" -q deploy -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
  "-DaltDeploymentRepository=local::default::file://$ROOT/dist/java")
VERSION=$(node -p "require('./package.json').version")
DEPLOYED=dist/java/io/github/cdkbulwark/cdk-bulwark/$VERSION/cdk-bulwark-$VERSION
cp "$JAVA_SRC/java/pom.published.xml" "$DEPLOYED.pom"
md5sum "$DEPLOYED.pom" | cut -d' ' -f1 > "$DEPLOYED.pom.md5"
sha1sum "$DEPLOYED.pom" | cut -d' ' -f1 > "$DEPLOYED.pom.sha1"
ls "$DEPLOYED.jar" "$DEPLOYED.pom"
grep -q '<version>\[' "$DEPLOYED.pom" && echo "package:java: the published pom keeps pacmak's version ranges"
cat > dist/java/versions.env <<ENV
JAVA_CDK_VERSION=$JAVA_CDK_VERSION
JSII_RUNTIME_VERSION=$jsii_runtime_version
ENV
