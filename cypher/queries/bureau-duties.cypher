// Purpose:    a bureau's duties, each with the field it applies to and the quotes it rests on.
// Parameters: $dataset  dataset id, e.g. 'liaocheng-2018-39'
//             $bureau   the bureau's id, name as written in the notice, full name or alias, e.g. '市交通运输局'
// Returns:    one row per duty: bureau, kind, competent, targetType, target, quotes
// Example:    dutygraph neo4j query bureau-duties --param bureau=市交通运输局
MATCH (b:Bureau {dataset: $dataset})
WHERE b.id = $bureau OR b.name = $bureau OR b.fullName = $bureau OR $bureau IN coalesce(b.aliases, [])
MATCH (b)-[r:HAS_DUTY]->(t)
RETURN b.name AS bureau,
       r.kind AS kind,
       coalesce(r.competent, false) AS competent,
       [label IN labels(t) WHERE label <> 'DutyNode'][0] AS targetType,
       t.name AS target,
       COLLECT { MATCH (p:Provision {dataset: $dataset}) WHERE p.id IN r.provisions RETURN p.path + ' ' + p.quote } AS quotes
ORDER BY kind, target
