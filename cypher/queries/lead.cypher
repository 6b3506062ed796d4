// Purpose:    who leads enforcement against unlicensed operation of an activity — the same cascade as
//             dutygraph's Python engine: explicit assignment → Decree 684 Art 6 → law-designated investigator or
//             licensor → first licensor in the REQUIRES order → competent department → default market regulator;
//             `undetermined` (with candidates) when the data does not decide. Bureaus are reported as the organ
//             at the dataset's jurisdiction (ACTS_THROUGH). Successions (`--as-of`) are applied only by the
//             Python engine.
// Parameters: $dataset   dataset id, e.g. 'liaocheng-2018-39'
//             $activity  the activity's id, Chinese name or alias, e.g. '焰火晚会燃放'
//             $missing   list of licence ids the operator lacks, or null for all the activity's own licences
// Returns:    activity, rule, lead {id, name, fullName, nameEn} (null when undetermined), cooperating, candidates
// Example:    :param {dataset: 'liaocheng-2018-39', activity: '焰火晚会燃放', missing: null}
//             dutygraph neo4j query lead --param activity=焰火晚会燃放
MATCH (ds:Dataset {id: $dataset})
MATCH (a:Activity {dataset: $dataset})
WHERE a.id = $activity OR a.name = $activity OR $activity IN coalesce(a.aliases, [])
// Where each bureau of the dataset acts locally: the first organ along ACTS_THROUGH at the dataset's level.
CALL (ds) {
  MATCH (b:Bureau {dataset: ds.id})
  CALL (ds, b) {
    MATCH p = (b)-[:ACTS_THROUGH*0..10]->(l:Bureau)
    WHERE l.level = ds.level OR NOT EXISTS { (l)-[:ACTS_THROUGH]->(:Bureau) }
    RETURN l.id AS local
    ORDER BY length(p)
    LIMIT 1
  }
  RETURN collect([b.id, local]) AS locals
}
OPTIONAL MATCH (a)-[:IN_DOMAIN]->(d:Domain)
// The licences the operator lacks, each with its investigator (ENFORCES, else ISSUES) and what it requires.
WITH ds, a, d, locals,
     CASE WHEN $missing IS NULL THEN COLLECT { MATCH (own:Licence)-[:AUTHORIZES]->(a) RETURN own.id } ELSE $missing END AS missingIds
CALL (a, missingIds, locals) {
  UNWIND missingIds AS lid
  MATCH (l:Licence {dataset: a.dataset, id: lid})
  OPTIONAL MATCH (e:Bureau)-[:ENFORCES]->(l)
  OPTIONAL MATCH (i:Bureau)-[:ISSUES]->(l)
  WITH l, coalesce(e.id, i.id) AS investigator, e IS NOT NULL AS designated, i.id AS issuer
  RETURN collect({
    id: l.id,
    kind: l.kind,
    designated: designated,
    inv: [p IN locals WHERE p[0] = investigator | p[1]][0],
    issuer: [p IN locals WHERE p[0] = issuer | p[1]][0],
    requires: COLLECT { MATCH (l)-[:REQUIRES*1..]->(r:Licence) RETURN DISTINCT r.id }
  }) AS missing
}
WITH ds, a, d, locals, missing,
     [m IN missing WHERE m.kind = 'permit'] AS permits,
     [m IN missing WHERE m.kind = 'business'] AS business,
     [x IN COLLECT { MATCH (b:Bureau)-[:LEADS]->(a) RETURN b.id } | [p IN locals WHERE p[0] = x | p[1]][0]] AS explicitAll,
     [x IN COLLECT { MATCH (b:Bureau)-[r:HAS_DUTY]->(a) WHERE r.competent RETURN b.id } | [p IN locals WHERE p[0] = x | p[1]][0]] AS competentOnActivity,
     [x IN COLLECT { MATCH (b:Bureau)-[r:HAS_DUTY]->(d) WHERE r.competent RETURN b.id } | [p IN locals WHERE p[0] = x | p[1]][0]] AS competentOnDomain,
     [x IN COLLECT { MATCH (b:Bureau)-[r:HAS_DUTY {kind: 'investigate'}]->(a) RETURN b.id } | [p IN locals WHERE p[0] = x | p[1]][0]] AS investigating,
     [p IN locals WHERE p[0] = ds.marketRegulator | p[1]][0] AS marketRegulator
WITH a, missing, permits, business, investigating, marketRegulator,
     reduce(s = [], x IN explicitAll | CASE WHEN x IN s THEN s ELSE s + x END) AS explicit,
     reduce(s = [], x IN competentOnActivity | CASE WHEN x IN s THEN s ELSE s + x END) AS compActivity,
     reduce(s = [], x IN competentOnDomain | CASE WHEN x IN s THEN s ELSE s + x END) AS compDomain,
     reduce(s = [], m IN permits | CASE WHEN m.inv IS NULL OR m.inv IN s THEN s ELSE s + m.inv END) AS permitBureaus,
     any(m IN permits WHERE m.inv IS NULL) AS unknownInvestigator,
     [m IN permits WHERE none(q IN permits WHERE q.id IN m.requires)] AS first
WITH a, missing, permits, business, investigating, marketRegulator, explicit, compActivity, compDomain,
     permitBureaus, unknownInvestigator, first,
     reduce(s = [], m IN first | CASE WHEN m.inv IS NULL OR m.inv IN s THEN s ELSE s + m.inv END) AS firstBureaus,
     any(m IN first WHERE m.inv IS NULL) AS unknownFirst,
     [m IN permits WHERE NOT m.id IN [f IN first | f.id] AND m.inv IS NOT NULL | m.inv]
       + [m IN permits WHERE m.issuer IS NOT NULL | m.issuer] AS otherLicensors
WITH a, investigating, otherLicensors, firstBureaus,
     CASE
       WHEN size(explicit) = 1 THEN {rule: 'explicit', lead: explicit[0], candidates: []}
       WHEN size(explicit) > 1 THEN {rule: 'undetermined', lead: null, candidates: explicit}
       WHEN size(missing) > 0 AND size(business) > 0 AND size(permits) = 0 THEN
         CASE WHEN business[0].inv IS NULL THEN {rule: 'undetermined', lead: null, candidates: []}
              ELSE {rule: 'decree684-art6', lead: business[0].inv, candidates: []} END
       WHEN size(missing) > 0 AND NOT unknownInvestigator AND size(permitBureaus) = 1 THEN
         {rule: CASE WHEN all(m IN permits WHERE m.designated) THEN 'law-designated' ELSE 'licensor' END,
          lead: permitBureaus[0], candidates: []}
       WHEN size(missing) > 0 AND size(firstBureaus) = 1 AND NOT unknownFirst THEN
         {rule: 'first-licensor', lead: firstBureaus[0], candidates: []}
       WHEN size(missing) > 0 THEN {rule: 'undetermined', lead: null, candidates: firstBureaus + otherLicensors}
       WHEN size(compActivity) = 1 THEN {rule: 'competent-department', lead: compActivity[0], candidates: []}
       WHEN size(compActivity) > 1 THEN {rule: 'undetermined', lead: null, candidates: compActivity}
       WHEN size(compDomain) = 1 THEN {rule: 'competent-department', lead: compDomain[0], candidates: []}
       WHEN size(compDomain) > 1 THEN {rule: 'undetermined', lead: null, candidates: compDomain}
       ELSE {rule: 'default-market-regulator', lead: marketRegulator, candidates: []}
     END AS decision
WITH a, decision,
     CASE decision.rule
       WHEN 'first-licensor' THEN otherLicensors
       WHEN 'undetermined' THEN []
       ELSE investigating
     END AS cooperatingAll
OPTIONAL MATCH (lead:Bureau {dataset: a.dataset, id: decision.lead})
RETURN a.id AS activity,
       a.name AS activityName,
       decision.rule AS rule,
       CASE WHEN lead IS NULL THEN null
            ELSE {id: lead.id, name: lead.name, fullName: lead.fullName, nameEn: lead.nameEn} END AS lead,
       reduce(s = [], x IN cooperatingAll | CASE WHEN x IN s OR x = decision.lead THEN s ELSE s + x END) AS cooperating,
       reduce(s = [], x IN decision.candidates | CASE WHEN x IN s THEN s ELSE s + x END) AS candidates
