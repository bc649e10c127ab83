#!/usr/bin/env bash
# Independent validators for what pm gives editors and CI (docs/editors.md,
# docs/ci.md): the JSON Schema from `pm schema`, the SARIF from
# `pm check --format sarif`, the pre-commit manifest, and the configurations
# docs/ci.md tells users to copy. The checkers are pinned and installed here,
# into target/, so a clean machine passes.
set -euo pipefail
cd "$(dirname "$0")/.."

CHECK_JSONSCHEMA=0.39.0
PRE_COMMIT=4.7.0
# The npm package that ships the SARIF 2.1.0 JSON Schema (rtm.5), and the
# schema's checksum, so a changed file cannot pass unnoticed.
JEST_SARIF=1.0.0-beta.0
SARIF_SCHEMA_SHA256=2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8

tools=target/ci-editors
venv=$tools/venv
mkdir -p "$tools"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check \
    "check-jsonschema==$CHECK_JSONSCHEMA" "pre-commit==$PRE_COMMIT"
cj() { "$venv/bin/check-jsonschema" "$@"; }

sarif_schema=$tools/package/lib/schemas/sarif-2.1.0-rtm.5.json
if ! echo "$SARIF_SCHEMA_SHA256  $sarif_schema" | sha256sum --check --status 2>/dev/null; then
    (cd "$tools" && npm pack --silent "@microsoft/jest-sarif@$JEST_SARIF" >/dev/null \
        && tar -xzf "microsoft-jest-sarif-$JEST_SARIF.tgz")
    echo "$SARIF_SCHEMA_SHA256  $sarif_schema" | sha256sum --check --quiet
fi

cargo build --quiet
pm="${CARGO_TARGET_DIR:-target}/debug/pm"
export PM_TODAY=2024-05-01
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Expects check-jsonschema to refuse a file for what it holds (not to crash).
refuses() {
    local schema=$1 file=$2 out
    if out=$(cj --schemafile "$schema" "$file" 2>&1); then
        echo "check-jsonschema accepts $file, which pm refuses" >&2
        return 1
    fi
    grep -q "Schema validation errors were encountered" <<<"$out" || {
        echo "$out" >&2
        return 1
    }
}

echo "-- pm schema: a valid draft 2020-12 schema"
"$pm" schema > "$work/schema.json"
cj --check-metaschema "$work/schema.json"
# The same schema read as draft 7, as the YAML language server reads it.
sed 's#"https://json-schema.org/draft/2020-12/schema"#"http://json-schema.org/draft-07/schema\#"#' \
    "$work/schema.json" > "$work/schema-draft7.json"
grep -q 'draft-07' "$work/schema-draft7.json"

for schema in "$work/schema.json" "$work/schema-draft7.json"; do
    echo "-- $(basename "$schema"): examples and valid fixtures pass, invalid ones fail"
    cj --schemafile "$schema" examples/*.yaml tests/fixtures/schema/valid/*.yaml
    count=0
    for file in tests/fixtures/schema/invalid/*.yaml; do
        refuses "$schema" "$file"
        count=$((count + 1))
    done
    echo "refused all $count invalid fixtures"
done

echo "-- pm schema --export: a valid schema, and pm export's output valid against it"
"$pm" schema --export > "$work/export-schema.json"
cj --check-metaschema "$work/export-schema.json"
"$pm" export examples tests/fixtures/export tests/fixtures/dst-crossing.yaml > "$work/export.json"
cj --schemafile "$work/export-schema.json" "$work/export.json"

echo "-- pm agrees with check-jsonschema on the same files"
for file in examples/*.yaml tests/fixtures/schema/valid/*.yaml; do
    "$pm" check --color never "$file" > /dev/null
done
for file in tests/fixtures/schema/invalid/*.yaml; do
    status=0
    "$pm" check --color never "$file" > /dev/null || status=$?
    [ "$status" -eq 1 ] || { echo "pm check $file exited $status, not 1" >&2; exit 1; }
done

echo "-- pm check --format sarif: valid SARIF 2.1.0"
status=0
"$pm" check --format sarif tests/fixtures/sarif/findings.yaml tests/fixtures/sarif/fixes.yaml examples > "$work/findings.sarif" || status=$?
[ "$status" -eq 1 ] || { echo "expected findings (exit 1), got $status" >&2; exit 1; }
"$pm" check --format sarif examples > "$work/clean.sarif"
cj --regex-variant nonunicode --schemafile "$sarif_schema" "$work/findings.sarif" "$work/clean.sarif"

echo "-- .pre-commit-hooks.yaml"
"$venv/bin/pre-commit" validate-manifest .pre-commit-hooks.yaml

echo "-- the configurations docs/ci.md gives to copy"
# Prints the code block that follows `<!-- ci: NAME -->` in docs/ci.md.
block() {
    awk -v marker="<!-- ci: $1 -->" '
        $0 == marker { found = 1; next }
        found && /^```/ { if (inside) exit; inside = 1; next }
        inside { print }
    ' docs/ci.md
}
block github-workflow > "$work/postmortems.yml"
block pre-commit-config > "$work/pre-commit-config.yaml"
[ -s "$work/postmortems.yml" ] && [ -s "$work/pre-commit-config.yaml" ]
cj --builtin-schema vendor.github-workflows "$work/postmortems.yml"
"$venv/bin/pre-commit" validate-config "$work/pre-commit-config.yaml"
