// Purpose:    how many nodes per label and relationships per type one dataset holds.
// Parameters: $dataset  dataset id, e.g. 'liaocheng-2018-39'
// Returns:    one row per label or type: what ('label' or 'type'), name, count
// Example:    dutygraph neo4j query counts
CALL () {
  MATCH (n:DutyNode {dataset: $dataset})
  UNWIND [label IN labels(n) WHERE label <> 'DutyNode'] AS name
  RETURN 'label' AS what, name, count(*) AS count
  UNION ALL
  MATCH (:DutyNode {dataset: $dataset})-[r]->(:DutyNode {dataset: $dataset})
  RETURN 'type' AS what, type(r) AS name, count(*) AS count
}
RETURN what, name, count
ORDER BY what, name
