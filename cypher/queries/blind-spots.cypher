// Purpose:    blind spots (监管盲区): activities no bureau has any duty for (on the activity or its domain),
//             domains with no competent (主管) department, and licences whose issuer no source names.
// Parameters: $dataset  dataset id, e.g. 'liaocheng-2018-39'
// Returns:    one row per finding: kind, subject, detail
// Example:    dutygraph neo4j query blind-spots
CALL () {
  MATCH (a:Activity {dataset: $dataset})
  WHERE NOT EXISTS { (:Bureau)-[:HAS_DUTY]->(a) }
    AND NOT EXISTS { (a)-[:IN_DOMAIN]->(:Domain)<-[:HAS_DUTY]-(:Bureau) }
  RETURN 'no-duty' AS kind, a.name AS subject, 'no bureau has a duty for the activity or its domain' AS detail
  UNION ALL
  MATCH (d:Domain {dataset: $dataset})
  WHERE NOT EXISTS { (:Bureau)-[:HAS_DUTY {competent: true}]->(d) }
  RETURN 'no-competent-department' AS kind, d.name AS subject,
         'supervised by: ' + coalesce(reduce(s = '', n IN COLLECT { MATCH (b:Bureau)-[:HAS_DUTY {kind: 'supervise'}]->(d) RETURN DISTINCT b.name } | s + n + ' '), '') AS detail
  UNION ALL
  MATCH (l:Licence {dataset: $dataset})
  WHERE NOT EXISTS { (:Bureau)-[:ISSUES]->(l) }
  RETURN 'unknown-issuer' AS kind, l.name AS subject, 'no source names who grants it' AS detail
}
RETURN kind, subject, detail
ORDER BY kind, subject
