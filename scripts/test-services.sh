#!/usr/bin/env bash
# Install what the integration tests need and nothing else:
#   - Neo4j Community 5.26 (embedded), its Bolt server and neo4j-admin's import tool: jars fetched by Maven into
#     tests/neo4j_server/target/lib
#   - Chromium and ChromeDriver from Debian's packages, for the HTML map tests, and a CJK font for screenshots
set -euo pipefail
cd "$(dirname "$0")/.."

# The marker names the pom's checksum, so a changed pom fetches again.
marker="tests/neo4j_server/target/lib/.complete-$(sha256sum tests/neo4j_server/pom.xml | cut -c1-16)"
if [ ! -f "$marker" ]; then
  echo "fetching Neo4j jars with Maven (cached in ~/.m2)"
  rm -rf tests/neo4j_server/target/lib
  mvn -q -B -f tests/neo4j_server/pom.xml dependency:copy-dependencies -DoutputDirectory=target/lib
  touch "$marker"
fi

if ! command -v chromium >/dev/null 2>&1 || [ ! -d /usr/share/fonts/truetype/wqy ]; then
  echo "installing Debian's chromium, chromium-driver and fonts-wqy-microhei"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null
fi
