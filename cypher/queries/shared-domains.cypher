// Purpose:    bureaus that share a domain: every pair of bureaus with duties in the same domain (on the
//             domain itself or on one of its activities), with the duty kinds each holds there.
// Parameters: $dataset  dataset id, e.g. 'liaocheng-2018-39'
// Returns:    one row per domain and pair: domain, bureau, other, kinds, otherKinds
// Example:    dutygraph neo4j query shared-domains
MATCH (d:Domain {dataset: $dataset})
CALL (d) {
  MATCH (b:Bureau)-[r:HAS_DUTY]->(t)
  WHERE t = d OR (t)-[:IN_DOMAIN]->(d)
  RETURN b, collect(DISTINCT r.kind) AS kinds
}
WITH d, collect({bureau: b.name, kinds: kinds}) AS holders
UNWIND holders AS x
UNWIND holders AS y
WITH d, x, y WHERE x.bureau < y.bureau
RETURN d.name AS domain, x.bureau AS bureau, y.bureau AS other, x.kinds AS kinds, y.kinds AS otherKinds
ORDER BY domain, bureau, other
