#!/usr/bin/env bash
# action.yml, step 3: `vigil scan` to SARIF. It records the exit code
# instead of failing, so that the SARIF upload runs first; the verdict step
# fails the job afterwards.
set -uo pipefail
read -r -a paths <<<"${SCAN_PATH:-.}"
read -r -a extra <<<"${EXTRA_ARGS:-}"
case "$FAIL_ON" in
any | never) fail_on=any ;;
new) fail_on=new ;;
*)
    echo "::error::fail-on must be any, new or never, not '$FAIL_ON'"
    exit 2
    ;;
esac
mkdir -p "$(dirname "$SARIF_FILE")"
vigil scan "${paths[@]}" --format sarif --output "$SARIF_FILE" --fail-on "$fail_on" "${extra[@]}"
code=$?
echo "exit-code=$code" >>"$GITHUB_OUTPUT"
if [ -s "$SARIF_FILE" ]; then
    echo "sarif-file=$SARIF_FILE" >>"$GITHUB_OUTPUT"
    # The job's summary page: one line per rule that failed.
    if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && command -v jq >/dev/null 2>&1; then
        {
            echo "### Vigil: $(jq '[.runs[].results[]] | length' "$SARIF_FILE") result(s)"
            jq -r '[.runs[].results[] | .ruleId] | group_by(.) | map("- `\(.[0])`: \(length)") | .[]' "$SARIF_FILE"
        } >>"$GITHUB_STEP_SUMMARY"
    fi
fi
exit 0
