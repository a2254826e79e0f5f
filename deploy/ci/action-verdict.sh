#!/usr/bin/env bash
# action.yml, last step: the job's verdict from `vigil scan`'s exit code,
# after the SARIF upload. Unknown verdicts (3) and unreadable templates (4)
# fail the job too: unknown is never a pass.
set -euo pipefail
case "${EXIT_CODE:-}" in
0) echo "vigil scan: clean" ;;
1)
    if [ "$FAIL_ON" = never ]; then
        echo "vigil scan found failures (fail-on: never)"
        exit 0
    fi
    echo "::error::vigil scan found failures (see the code-scanning alerts or the SARIF report)"
    exit 1
    ;;
'')
    echo "::error::vigil scan did not run"
    exit 2
    ;;
*)
    if [ "$FAIL_ON" = never ]; then
        exit 0
    fi
    echo "::error::vigil scan exited $EXIT_CODE (3: something could not be judged, 4: a template could not be parsed; see its log)"
    exit "$EXIT_CODE"
    ;;
esac
