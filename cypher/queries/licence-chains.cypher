// Purpose:    licence chains: which licence must be held before which (REQUIRES, the legal order the
//             first-licensor rule follows), with the bureaus that grant each and the quotes.
// Parameters: $dataset  dataset id, e.g. 'liaocheng-2018-39'
// Returns:    one row per chain: chain (licence names, later first), grantedBy, quotes
// Example:    dutygraph neo4j query licence-chains
MATCH p = (later:Licence {dataset: $dataset})-[:REQUIRES*1..]->(earlier:Licence)
WHERE NOT EXISTS { (earlier)-[:REQUIRES]->(:Licence) }
RETURN [l IN nodes(p) | l.name] AS chain,
       [l IN nodes(p) | head(COLLECT { MATCH (b:Bureau)-[:ISSUES]->(l) RETURN b.name })] AS grantedBy,
       [r IN relationships(p) | COLLECT { MATCH (q:Provision {dataset: $dataset}) WHERE q.id IN r.provisions RETURN q.path + ' ' + q.quote }] AS quotes
ORDER BY size(chain) DESC, chain
