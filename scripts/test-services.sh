#!/usr/bin/env bash
# Install what the integration tests need and nothing else:
#   - Neo4j Community 5.26 (embedded) and its Bolt server: jars fetched by Maven into tests/neo4j_server/target/lib
#   - Chromium and ChromeDriver from Debian's packages, for the HTML map tests, and a CJK font for screenshots
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f tests/neo4j_server/target/lib/.complete ]; then
  echo "fetching Neo4j jars with Maven (cached in ~/.m2)"
  mvn -q -B -f tests/neo4j_server/pom.xml dependency:copy-dependencies -DoutputDirectory=target/lib
  touch tests/neo4j_server/target/lib/.complete
fi

if ! command -v chromium >/dev/null 2>&1 || [ ! -d /usr/share/fonts/truetype/wqy ]; then
  echo "installing Debian's chromium, chromium-driver and fonts-wqy-microhei"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null
fi
