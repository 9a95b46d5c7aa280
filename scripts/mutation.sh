#!/usr/bin/env bash
# Mutation testing with Stryker.NET, in scoped runs: each scope mutates the code that decides money or access and runs
# only the tests of that area (scripts/stryker/<scope>.json says which files and which tests). All of LoanHub.Core
# against the whole suite does not finish in 40 minutes on a 2-core machine; the scopes do, one after another.
#
#   scripts/mutation.sh                 # every scope
#   scripts/mutation.sh core retention  # only these scopes
#   MUTATION_CONCURRENCY=1 scripts/mutation.sh users
#
# Reports go to mutation-reports/<scope>/reports/ (html and json; git-ignored). Not run by CI or test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

scopes=("$@")
[ ${#scopes[@]} -eq 0 ] && scopes=(core outcomes reports users access retention)
concurrency="${MUTATION_CONCURRENCY:-2}"
# The machine is shared: never more than two test sessions.
if [ "$concurrency" -gt 2 ]; then concurrency=2; fi

dotnet tool restore >/dev/null

summary=()
for scope in "${scopes[@]}"; do
  config="scripts/stryker/$scope.json"
  [ -f "$config" ] || { echo "No scope '$scope' (no $config)." >&2; exit 2; }
  output="$PWD/mutation-reports/$scope"
  rm -rf "$output"
  started=$SECONDS
  echo "== $scope: $(jq -r '."stryker-config".mutate | join(" ")' "$config")"
  # Run from the test project so Stryker works in project mode (the solution would pull in every project).
  (cd LoanHub.Tests && dotnet dotnet-stryker --config-file "../$config" --concurrency "$concurrency" \
    --reporter html --reporter progress --reporter json --output "$output" --skip-version-check)
  minutes=$(( (SECONDS - started + 30) / 60 ))
  report="$output/reports/mutation-report.json"
  # Stryker's mutation score: (killed + timeout) / (killed + timeout + survived + no coverage); ignored and
  # compile errors do not count.
  summary+=("$(jq -r --arg scope "$scope" --arg minutes "$minutes" '
    [.files[].mutants[].status] as $s
    | def n(x): [$s[] | select(. == x)] | length;
    (n("Killed")) as $k | (n("Timeout")) as $t | (n("Survived")) as $sv | (n("NoCoverage")) as $nc
    | "\($scope): \($k + $t + $sv + $nc) mutants, \($k) killed, \($sv) survived, \($t) timeout, \($nc) no coverage, "
      + "\(n("Ignored")) ignored, score \(if ($k + $t + $sv + $nc) == 0 then "n/a" else (((($k + $t) * 1000 / ($k + $t + $sv + $nc)) | round) / 10 | tostring) + "%" end), \($minutes) min"
    ' "$report")")
done

echo
echo "Mutation score per scope (reports under mutation-reports/<scope>/reports/):"
printf '  %s\n' "${summary[@]}"
