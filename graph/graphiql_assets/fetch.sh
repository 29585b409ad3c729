#!/usr/bin/env bash
# Reproduces the vendored GraphiQL assets of this folder from the npm registry.
#
#   graph/graphiql_assets/fetch.sh          # rewrite the files and SHA256SUMS
#   graph/graphiql_assets/fetch.sh --check  # fetch into a temporary folder, compare with SHA256SUMS
#
# Versions are pinned here and nowhere else; graph/graphiql.py reads the file names (and so
# the versions) from SHA256SUMS. `npm pack` checks each tarball against the registry's
# integrity hash; the files are kept byte for byte as published. Only browser builds that run without a bundler (UMD, minified) are kept.
# After changing a version: run this, then the tests (tests/graph/test_graphiql.py) and
# commit the folder.
set -euo pipefail

GRAPHIQL=3.8.3                 # the UMD build strawberry's CDN page also uses
EXPLORER=3.2.5                 # @graphiql/plugin-explorer for @graphiql/react ^0.28 (GraphiQL 3.8's)
GRAPHIQL_EXPLORER=0.9.0        # graphiql-explorer, bundled into the plugin (licence only)
REACT=18.2.0                   # the last React with UMD builds
GRAPHQL_WS=5.16.2              # the graphql-transport-ws client

here="$(cd "$(dirname "$0")" && pwd)"
mode="${1:-write}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
out="$work/out"
mkdir -p "$out/licenses"

unpack() {  # unpack <package@version> -> folder of its files
    local dir="$work/$(echo "$1" | tr '/@' '__')"
    mkdir -p "$dir"
    (cd "$work" && npm pack --silent "$1" >"$dir.name")
    tar xzf "$work/$(cat "$dir.name")" -C "$dir"
    echo "$dir/package"
}

p="$(unpack "graphiql@$GRAPHIQL")"
cp "$p/graphiql.min.js" "$out/graphiql-$GRAPHIQL.min.js"
cp "$p/graphiql.min.css" "$out/graphiql-$GRAPHIQL.min.css"
cp "$p/LICENSE" "$out/licenses/graphiql-$GRAPHIQL.LICENSE.txt"
graphiql_license="$p/LICENSE"

p="$(unpack "@graphiql/plugin-explorer@$EXPLORER")"
cp "$p/dist/index.umd.js" "$out/plugin-explorer-$EXPLORER.umd.js"
cp "$p/dist/style.css" "$out/plugin-explorer-$EXPLORER.css"
# The package ships no licence file; it is MIT (package.json) from the graphiql monorepo,
# whose LICENSE is the one of graphiql itself.
{
    echo "@graphiql/plugin-explorer $EXPLORER: \"license\": \"$(node -p "require('$p/package.json').license")\" in its package.json;"
    echo "it ships no licence file. It is part of https://github.com/graphql/graphiql, whose LICENSE follows."
    echo
    cat "$graphiql_license"
} >"$out/licenses/plugin-explorer-$EXPLORER.LICENSE.txt"

p="$(unpack "graphiql-explorer@$GRAPHIQL_EXPLORER")"
cp "$p/LICENSE" "$out/licenses/graphiql-explorer-$GRAPHIQL_EXPLORER.LICENSE.txt"

p="$(unpack "react@$REACT")"
cp "$p/umd/react.production.min.js" "$out/react-$REACT.production.min.js"
cp "$p/LICENSE" "$out/licenses/react-$REACT.LICENSE.txt"

p="$(unpack "react-dom@$REACT")"
cp "$p/umd/react-dom.production.min.js" "$out/react-dom-$REACT.production.min.js"
cp "$p/LICENSE" "$out/licenses/react-dom-$REACT.LICENSE.txt"

p="$(unpack "graphql-ws@$GRAPHQL_WS")"
cp "$p/umd/graphql-ws.min.js" "$out/graphql-ws-$GRAPHQL_WS.min.js"
cp "$p/LICENSE.md" "$out/licenses/graphql-ws-$GRAPHQL_WS.LICENSE.txt"

(cd "$out" && find . -type f ! -name SHA256SUMS | sed 's#^\./##' | LC_ALL=C sort | xargs sha256sum) >"$out/SHA256SUMS"

if [[ "$mode" == "--check" ]]; then
    diff -u "$here/SHA256SUMS" "$out/SHA256SUMS" && echo "vendored GraphiQL assets match npm"
    exit
fi
find "$here" -maxdepth 2 -type f \( -name '*.js' -o -name '*.css' -o -name '*.LICENSE.txt' \) -delete
cp -r "$out"/. "$here"/
echo "wrote $(wc -l <"$here/SHA256SUMS") files to $here"
