// Purpose:    conflicts: activities explicitly assigned to several bureaus, fields with several competent
//             (主管) departments, and activities whose licences several bureaus investigate.
// Parameters: $dataset  dataset id, e.g. 'liaocheng-2018-39'
// Returns:    one row per conflict: kind, subject, bureaus
// Example:    dutygraph neo4j query conflicts
CALL () {
  MATCH (b:Bureau)-[:LEADS]->(a:Activity {dataset: $dataset})
  WITH a, collect(DISTINCT b.name) AS bureaus WHERE size(bureaus) > 1
  RETURN 'several-explicit-leads' AS kind, a.name AS subject, bureaus
  UNION ALL
  MATCH (b:Bureau)-[:HAS_DUTY {competent: true}]->(t:DutyNode {dataset: $dataset})
  WITH t, collect(DISTINCT b.name) AS bureaus WHERE size(bureaus) > 1
  RETURN 'several-competent-departments' AS kind, t.name AS subject, bureaus
  UNION ALL
  MATCH (a:Activity {dataset: $dataset})<-[:AUTHORIZES]-(l:Licence {kind: 'permit'})
  OPTIONAL MATCH (e:Bureau)-[:ENFORCES]->(l)
  OPTIONAL MATCH (i:Bureau)-[:ISSUES]->(l)
  WITH a, collect(DISTINCT coalesce(e.name, i.name)) AS bureaus WHERE size(bureaus) > 1
  RETURN 'several-investigators' AS kind, a.name AS subject, bureaus
}
RETURN kind, subject, bureaus
ORDER BY kind, subject
