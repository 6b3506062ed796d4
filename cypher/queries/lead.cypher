// Purpose:    who leads enforcement against an illegal activity: the same decision as dutygraph's Python engine
//             (dutygraph/engine.py, dutygraph/rules/). Only the rules the Dataset node declares (`rules`) decide, in
//             that order; the first that does not pass wins: explicit (LEADS, for no sector or the sector asked) ·
//             prohibition (ENFORCES on a prohibited Activity) · decree684-art6 · law-designated · licensor ·
//             first-licensor (the issuer of the first missing permit in the REQUIRES order leads; the issuers of the
//             others cooperate, never the lead's own side) · sector / division-of-labour (the competent department of
//             the sector asked) · competent-department · default-market-regulator (`defaultLead`) · defers-to-law
//             (an activity the sources leave to other law, `deferred`).
//             If none decides: undetermined, naming the organs the rules named, else the organs answerable for the
//             activity or its domain. The lead is the organ that acts, with the bureau that guides it (GUIDED_BY) and the bureau
//             whose agency it is (AGENCY_OF).
//             Time: a fact (LEADS, HAS_DUTY, AUTHORIZES, a later text's ISSUES/ENFORCES `change`, the activity
//             itself) applies once every Document its provisions belong to is in force (inForce, else date) on the
//             date asked. The lead, cooperating bureaus and candidates then follow SUCCEEDED_BY {notBefore, notAfter}:
//             on or before notBefore the predecessor (status 'before'); on or after notAfter the successor, followed
//             further ('after'); in between the predecessor, with its successors named ('inside').
//             No row when the activity is not yet in force on that date, or a $missing licence is not one it needs.
// Parameters: $dataset   dataset id, e.g. 'liaocheng-2018-39'
//             $activity  the activity's id, Chinese name, English name or alias (a group answers for each member)
//             $missing   list of licence ids (or names) the operator lacks, or null for every licence the activity needs
//             $asOf      the date asked about, 'YYYY-MM-DD', or null for the dataset's own date (Dataset.asOf)
//             $sector    the enterprise's sector (a domain id), or null
// Returns:    activity {id, name, nameEn}, missing [{id, name}], asOf, rule,
//             lead {id, name, fullName, nameEn, level, system} (null when undetermined), guidedBy, agencyOf (same shape),
//             cooperating [{id, name}], candidates [{id, name}] (when undetermined),
//             transfer {predecessor {id, name}, successors [{id, name}], notBefore, notAfter, status} (the lead's
//             succession on the date asked: before | inside | after), or null
// Example:    :param {dataset: 'liaocheng-2018-39', activity: '焰火晚会燃放', missing: null, asOf: null, sector: null}
//             dutygraph neo4j query lead --param activity=焰火晚会燃放 --param asOf=2020-06-01
MATCH (ds:Dataset {id: $dataset})
WITH ds, CASE WHEN $asOf IS NOT NULL THEN date($asOf) WHEN ds.asOf IS NOT NULL THEN date(ds.asOf) END AS d
// The provisions of documents not yet in force on the date: a fact resting on any of them does not apply yet.
WITH ds, d, COLLECT {
  MATCH (p:Provision {dataset: ds.id})-[:PART_OF]->(doc:Document)
  WHERE date(coalesce(doc.inForce, doc.date)) > d
  RETURN p.id
} AS pending
// The activity named: an id beats a name, a name beats an English name or alias; a group (MEMBER_OF) answers per member.
CALL (ds) {
  MATCH (x:Activity {dataset: ds.id})
  WITH x, CASE WHEN x.id = $activity THEN 0
               WHEN x.name = $activity THEN 1
               WHEN toLower(x.nameEn) = toLower($activity) OR $activity IN coalesce(x.aliases, []) THEN 2 END AS rank
  WHERE rank IS NOT NULL
  WITH rank, collect(x) AS named
  ORDER BY rank
  LIMIT 1
  UNWIND named AS x
  OPTIONAL MATCH (m:Activity)-[:MEMBER_OF]->(x)
  WITH x, m
  ORDER BY m.id
  WITH x, collect(m) AS members
  UNWIND CASE WHEN size(members) = 0 THEN [x] ELSE members END AS a
  RETURN a
}
WITH ds, d, pending, a
WHERE none(p IN coalesce(a.provisions, []) WHERE p IN pending)
// The missing licences: by default every licence the activity needs on the date (AUTHORIZES in force); licences
// asked about must be the activity's own or ones they require, and not a requirement that is not yet in force
// (unless a licence needed on the date requires it).
WITH ds, d, pending, a,
     COLLECT { MATCH (o:Licence)-[r:AUTHORIZES]->(a) WHERE none(p IN coalesce(r.provisions, []) WHERE p IN pending)
               RETURN o ORDER BY o.id } AS own,
     COLLECT { MATCH (o:Licence)-[r:AUTHORIZES]->(a) WHERE any(p IN coalesce(r.provisions, []) WHERE p IN pending)
               RETURN o } AS notYet,
     COLLECT { MATCH (o:Licence)-[:AUTHORIZES]->(a) MATCH (o)-[:REQUIRES*0..]->(s:Licence) RETURN DISTINCT s } AS scope
WITH ds, d, pending, a, own, notYet, scope,
     COLLECT { UNWIND own AS o MATCH (o)-[:REQUIRES*0..]->(s:Licence) RETURN DISTINCT s } AS needed
WITH ds, d, pending, a, notYet, needed,
     CASE WHEN $missing IS NULL THEN own
          ELSE [x IN $missing | head([s IN scope WHERE s.id = x OR s.name = x OR x IN coalesce(s.aliases, [])])] END AS chosen
WHERE none(x IN chosen WHERE x IS NULL OR (x IN notYet AND NOT x IN needed))
WITH ds, d, pending, a, reduce(acc = [], x IN chosen | CASE WHEN x IN acc THEN acc ELSE acc + x END) AS chosen
// Each with who grants it and whom a law designates to act against operating without it, on the date: the
// latest later-text `change` in force, else the original text (an overlapping text's ENFORCES {also} is not the
// designated investigator); and every licence it requires.
WITH ds, d, pending, a, chosen,
     [l IN chosen | {
       id: l.id,
       kind: l.kind,
       granting: [(g:Bureau)-[r:ISSUES]->(l) | {bureau: g.id, change: r.change, provisions: coalesce(r.provisions, [])}],
       enforcing: [(e:Bureau)-[r:ENFORCES]->(l) WHERE r.also IS NULL | {bureau: e.id, change: r.change, provisions: coalesce(r.provisions, [])}],
       requires: [(l)-[:REQUIRES*1..]->(q:Licence) | q.id]
     }] AS raw
WITH ds, d, pending, a, chosen,
     [m IN raw | {
       id: m.id,
       kind: m.kind,
       requires: m.requires,
       issuer: reduce(h = null, x IN m.granting | CASE
         WHEN x.change IS NULL THEN coalesce(h, x)
         WHEN any(p IN x.provisions WHERE p IN pending) THEN h
         WHEN h IS NULL OR h.change IS NULL OR x.change > h.change THEN x
         ELSE h END).bureau,
       enforcer: reduce(h = null, x IN m.enforcing | CASE
         WHEN x.change IS NULL THEN coalesce(h, x)
         WHEN any(p IN x.provisions WHERE p IN pending) THEN h
         WHEN h IS NULL OR h.change IS NULL OR x.change > h.change THEN x
         ELSE h END).bureau
     }] AS missing
WITH ds, d, pending, a, chosen, missing,
     [m IN missing WHERE m.kind = 'permit' | m {.*, investigator: coalesce(m.enforcer, m.issuer)}] AS permits,
     [m IN missing WHERE m.kind = 'business' | m {.*, investigator: coalesce(m.enforcer, m.issuer)}] AS business,
     // The bureaus each declared rule names ('<rule>:<bureau>'), and the duties that make an organ answerable.
     coalesce(ds.ruleBureaus, []) AS declared,
     ['supervise', 'license', 'inspect', 'investigate', 'review', 'certify', 'register', 'rectify', 'dispose'] AS answerable
// The facts in force: explicit leads (for no sector or the sector asked), duties on the activity, on its domain and
// on the sector asked.
WITH ds, d, a, chosen, missing, permits, business, declared, answerable,
     [(b:Bureau)-[r:LEADS]->(a)
       WHERE none(p IN coalesce(r.provisions, []) WHERE p IN pending) AND (r.sector IS NULL OR r.sector = $sector)
       | {bureau: b.id, cooperating: coalesce(r.cooperating, [])}] AS leads,
     [(b:Bureau)-[r:HAS_DUTY]->(a) WHERE none(p IN coalesce(r.provisions, []) WHERE p IN pending)
       | {bureau: b.id, kind: r.kind, competent: r.competent}] AS onActivity,
     COLLECT {
       MATCH (a)-[:IN_DOMAIN]->(:Domain)<-[r:HAS_DUTY]-(b:Bureau)
       WHERE none(p IN coalesce(r.provisions, []) WHERE p IN pending)
       RETURN {bureau: b.id, kind: r.kind, competent: r.competent}
     } AS onDomain,
     COLLECT {
       MATCH (:Domain {dataset: ds.id, id: $sector})<-[r:HAS_DUTY]-(b:Bureau)
       WHERE r.competent AND none(p IN coalesce(r.provisions, []) WHERE p IN pending)
       RETURN DISTINCT b.id
     } AS sectorDepartments,
     head([(e:Bureau)-[:ENFORCES]->(a) | e.id]) AS banEnforcer
WITH ds, d, a, chosen, missing, permits, business, declared, answerable, onActivity, onDomain, sectorDepartments, banEnforcer,
     reduce(s = [], l IN leads | CASE WHEN l.bureau IN s THEN s ELSE s + l.bureau END) AS explicitLeads,
     reduce(s = [], l IN leads | s + l.cooperating) AS explicitCooperating,
     reduce(s = [], m IN permits | CASE WHEN m.investigator IS NULL OR m.investigator IN s THEN s ELSE s + m.investigator END) AS investigators,
     any(m IN permits WHERE m.investigator IS NULL) AS unknownInvestigator,
     [m IN permits WHERE none(r IN m.requires WHERE r IN [q IN permits | q.id])] AS first,
     reduce(s = [], m IN permits | CASE WHEN m.issuer IS NULL OR m.issuer IN s THEN s ELSE s + m.issuer END) AS grantors,
     reduce(s = [], o IN onActivity | CASE WHEN NOT o.competent OR o.bureau IN s THEN s ELSE s + o.bureau END) AS competentOnActivity,
     reduce(s = [], o IN onDomain | CASE WHEN NOT o.competent OR o.bureau IN s THEN s ELSE s + o.bureau END) AS competentOnDomain,
     [x IN declared WHERE x STARTS WITH 'sector:' | substring(x, 7)] AS sectorDeclared,
     [x IN declared WHERE x STARTS WITH 'division-of-labour:' | substring(x, 19)] AS divisionDeclared,
     [x IN declared WHERE x STARTS WITH 'defers-to-law:' | substring(x, 14)] AS defersDeclared,
     [x IN declared WHERE x STARTS WITH 'default-market-regulator:' | substring(x, 25)] AS defaultDeclared
WITH ds, d, a, chosen, missing, permits, business, declared, answerable, onActivity, onDomain, banEnforcer, explicitLeads,
     explicitCooperating, investigators, unknownInvestigator, first, grantors, sectorDeclared, divisionDeclared, defersDeclared,
     CASE WHEN size(competentOnActivity) > 0 OR size(missing) > 0 THEN competentOnActivity ELSE competentOnDomain END AS competent,
     reduce(s = [], m IN first | CASE WHEN m.issuer IS NULL OR m.issuer IN s THEN s ELSE s + m.issuer END) AS firstIssuers,
     coalesce(ds.defaultLead, head(defaultDeclared)) AS defaultLead,
     CASE WHEN $sector IS NULL THEN {outcome: 'undetermined', candidates: []}
          WHEN size(sectorDepartments) = 1 THEN {outcome: 'applied', lead: sectorDepartments[0], investigating: true}
          ELSE {outcome: 'undetermined', candidates: sectorDepartments} END AS bySector
// What each rule concludes: applied (a lead), undetermined (ends the cascade, with candidates) or pass (perhaps
// naming candidates). `investigating`: bureaus with an investigate or cooperate duty on the activity cooperate;
// `sameSide`: cooperating bureaus on the lead's own side (same principal bureau or system) are left out.
WITH ds, d, a, chosen, missing, declared, answerable, onActivity, onDomain,
     {
       explicit: CASE
         WHEN size(explicitLeads) = 0 THEN {rule: 'explicit', outcome: 'pass'}
         WHEN size(explicitLeads) > 1 THEN {rule: 'explicit', outcome: 'undetermined', candidates: explicitLeads}
         ELSE {rule: 'explicit', outcome: 'applied', lead: explicitLeads[0], cooperating: explicitCooperating, investigating: true}
       END,
       prohibition: CASE
         WHEN NOT coalesce(a.prohibited, false) THEN {rule: 'prohibition', outcome: 'pass'}
         WHEN banEnforcer IS NULL THEN {rule: 'prohibition', outcome: 'undetermined', candidates: []}
         ELSE {rule: 'prohibition', outcome: 'applied', lead: banEnforcer, investigating: true}
       END,
       `decree684-art6`: CASE
         WHEN size(business) = 0 OR size(permits) > 0 OR business[0].investigator IS NULL THEN {rule: 'decree684-art6', outcome: 'pass'}
         ELSE {rule: 'decree684-art6', outcome: 'applied', lead: business[0].investigator, investigating: true}
       END,
       `law-designated`: CASE
         WHEN size(permits) = 0 THEN {rule: 'law-designated', outcome: 'pass'}
         WHEN unknownInvestigator OR size(investigators) > 1 THEN {rule: 'law-designated', outcome: 'pass', candidates: investigators}
         WHEN any(m IN permits WHERE m.enforcer IS NULL) THEN {rule: 'law-designated', outcome: 'pass'}
         ELSE {rule: 'law-designated', outcome: 'applied', lead: investigators[0], investigating: true}
       END,
       licensor: CASE
         WHEN size(permits) = 0 THEN {rule: 'licensor', outcome: 'pass'}
         WHEN unknownInvestigator OR size(investigators) > 1 THEN {rule: 'licensor', outcome: 'pass', candidates: investigators}
         ELSE {rule: 'licensor', outcome: 'applied', lead: investigators[0], investigating: true}
       END,
       `first-licensor`: CASE
         WHEN size(permits) < 2 THEN {rule: 'first-licensor', outcome: 'pass'}
         WHEN size(first) > 1 THEN {rule: 'first-licensor', outcome: 'undetermined',
                                    candidates: CASE WHEN size(firstIssuers) > 0 THEN firstIssuers ELSE grantors END}
         WHEN first[0].issuer IS NULL THEN {rule: 'first-licensor', outcome: 'pass', candidates: grantors}
         ELSE {rule: 'first-licensor', outcome: 'applied', lead: first[0].issuer, sameSide: true,
               cooperating: [m IN permits WHERE m.id <> first[0].id AND m.issuer IS NOT NULL | m.issuer]}
       END,
       sector: bySector {.*, rule: 'sector', candidates: CASE WHEN size(coalesce(bySector.candidates, [])) > 0
                                                              THEN bySector.candidates ELSE sectorDeclared END},
       `division-of-labour`: CASE
         WHEN size(coalesce(a.penalties, [])) = 0 THEN {rule: 'division-of-labour', outcome: 'pass'}
         ELSE bySector {.*, rule: 'division-of-labour', candidates: CASE WHEN size(coalesce(bySector.candidates, [])) > 0
                                                                         THEN bySector.candidates ELSE divisionDeclared END}
       END,
       `competent-department`: CASE
         WHEN size(competent) = 0 THEN {rule: 'competent-department', outcome: 'pass'}
         WHEN size(competent) > 1 THEN {rule: 'competent-department', outcome: 'undetermined', candidates: competent}
         ELSE {rule: 'competent-department', outcome: 'applied', lead: competent[0], investigating: true}
       END,
       `default-market-regulator`: CASE
         WHEN size(missing) > 0 OR coalesce(a.prohibited, false) OR defaultLead IS NULL THEN {rule: 'default-market-regulator', outcome: 'pass'}
         ELSE {rule: 'default-market-regulator', outcome: 'applied', lead: defaultLead, investigating: true}
       END,
       `defers-to-law`: CASE
         WHEN size(coalesce(a.deferred, [])) = 0 THEN {rule: 'defers-to-law', outcome: 'pass'}
         ELSE {rule: 'defers-to-law', outcome: 'undetermined', candidates: defersDeclared, fallback: false}
       END
     } AS verdicts
// Only the declared rules, in the declared order; the first that does not pass decides. Without candidates of its
// own, an undetermined answer names the organs answerable for the activity, else those answerable for its domain,
// else the organs the declared rules name (not after defers-to-law: the dataset cannot answer).
WITH ds, d, a, chosen, onActivity,
     [k IN coalesce(ds.rules, []) WHERE verdicts[k] IS NOT NULL | verdicts[k]] AS cascade,
     [o IN onActivity WHERE o.kind IN answerable | o.bureau] AS answerableForActivity,
     [o IN onDomain WHERE o.kind IN answerable | o.bureau] AS answerableForDomain,
     [x IN declared | substring(x, size(split(x, ':')[0]) + 1)] AS namedByRules
WITH ds, d, a, chosen, onActivity, cascade,
     reduce(s = [], x IN CASE WHEN size(answerableForActivity) > 0 THEN answerableForActivity
                              WHEN size(answerableForDomain) > 0 THEN answerableForDomain
                              ELSE namedByRules END
            | CASE WHEN x IN s THEN s ELSE s + x END) AS fallback,
     head([v IN cascade WHERE v.outcome <> 'pass']) AS decided,
     reduce(s = [], x IN reduce(all = [], v IN cascade | all + coalesce(v.candidates, [])) | CASE WHEN x IN s THEN s ELSE s + x END) AS seen
WITH ds, d, a, chosen, onActivity,
     CASE
       WHEN decided IS NULL THEN {rule: 'undetermined', outcome: 'undetermined', candidates: CASE WHEN size(seen) > 0 THEN seen ELSE fallback END}
       WHEN decided.outcome = 'undetermined' AND size(coalesce(decided.candidates, [])) = 0 AND coalesce(decided.fallback, true)
         THEN decided {.*, candidates: fallback}
       ELSE decided
     END AS v
WITH ds, d, a, chosen, onActivity, v, CASE WHEN v.outcome = 'applied' THEN v.lead END AS ruleLead
// Cooperating bureaus as the rule names them, without the lead's own side where the rule says so.
CALL (ds, v, ruleLead, onActivity) {
  OPTIONAL MATCH (:Bureau {dataset: ds.id, id: ruleLead})-[:AGENCY_OF*0..]->(pl:Bureau)
  WHERE NOT EXISTS { (pl)-[:AGENCY_OF]->() }
  UNWIND CASE WHEN ruleLead IS NULL THEN [] ELSE
           [x IN coalesce(v.cooperating, []) | {id: x, sided: coalesce(v.sameSide, false)}]
           + [o IN onActivity WHERE coalesce(v.investigating, false) AND o.kind IN ['investigate', 'cooperate'] | {id: o.bureau, sided: true}]
         END AS c
  OPTIONAL MATCH (:Bureau {dataset: ds.id, id: c.id})-[:AGENCY_OF*0..]->(pc:Bureau)
  WHERE NOT EXISTS { (pc)-[:AGENCY_OF]->() }
  WITH c, pl, pc
  WHERE NOT c.sided OR NOT (pc = pl OR coalesce(pl.system = pc.system, false))
  RETURN reduce(s = [], x IN collect(c.id) | CASE WHEN x IN s THEN s ELSE s + x END) AS ruleCooperating
}
// Every organ involved, on the date: follow SUCCEEDED_BY while the date is on or after the window's end and there
// is one successor; there, on or before the window's start → the organ; inside → the organ and its successors;
// after (several successors) → the successors.
WITH ds, d, a, chosen, v, ruleLead, ruleCooperating,
     reduce(s = [], x IN CASE WHEN ruleLead IS NULL THEN [] ELSE [ruleLead] END + ruleCooperating + coalesce(v.candidates, [])
                          + COLLECT { MATCH (:Bureau {dataset: ds.id, id: ruleLead})-[:SUCCEEDED_BY*1..]->(s:Bureau) RETURN DISTINCT s.id }
            | CASE WHEN x IN s THEN s ELSE s + x END) AS involved
CALL (ds, d, involved) {
  UNWIND involved AS bid
  MATCH (c:Bureau {dataset: ds.id, id: bid})
  CALL (c, d) {
    OPTIONAL MATCH p = (c)-[:SUCCEEDED_BY*0..]->(n:Bureau)
    WHERE CASE WHEN d IS NULL THEN length(p) = 0
          ELSE all(x IN nodes(p)[..-1] WHERE COUNT { (x)-[:SUCCEEDED_BY]->() } = 1 AND NOT EXISTS {
                   (x)-[s:SUCCEEDED_BY]->(y) WHERE y = x OR s.notAfter IS NULL OR date(s.notAfter) > d OR date(s.notBefore) >= d })
               AND (COUNT { (n)-[:SUCCEEDED_BY]->() } <> 1 OR EXISTS {
                   (n)-[s:SUCCEEDED_BY]->(y) WHERE y = n OR s.notAfter IS NULL OR date(s.notAfter) > d OR date(s.notBefore) >= d })
          END
    RETURN n, CASE WHEN length(p) > 0 THEN relationships(p)[-1] END AS last
    ORDER BY length(p)
    LIMIT 1
  }
  WITH bid, d, coalesce(n, c) AS n, last
  CALL (n) {
    OPTIONAL MATCH (n)-[s:SUCCEEDED_BY]->(y:Bureau)
    RETURN collect(y.id) AS successors, max(s.notBefore) AS notBefore, min(s.notAfter) AS notAfter
  }
  WITH bid, n, last, successors, notBefore, notAfter,
       CASE WHEN d IS NULL OR size(successors) = 0 THEN null
            WHEN date(notBefore) >= d THEN 'before'
            WHEN date(notAfter) <= d THEN 'after'
            ELSE 'inside' END AS status
  RETURN collect({
    id: bid,
    bureaus: CASE status WHEN 'inside' THEN [n.id] + successors WHEN 'after' THEN successors ELSE [n.id] END,
    transfer: CASE
      WHEN status IS NOT NULL THEN {predecessor: n.id, successors: successors, notBefore: notBefore, notAfter: notAfter, status: status}
      WHEN last IS NOT NULL THEN {predecessor: startNode(last).id, successors: [n.id], notBefore: last.notBefore,
                                  notAfter: last.notAfter, status: 'after'}
    END
  }) AS found
}
WITH ds, d, a, chosen, v, ruleLead, ruleCooperating, found, head([f IN found WHERE f.id = ruleLead]) AS leadFound
// The lead on the date: the predecessor before or inside the window, the successor after it; none where the
// duties passed to several organs (then they are the candidates).
WITH ds, d, a, chosen, v, ruleLead, ruleCooperating, found, leadFound.transfer AS transfer, leadFound.bureaus AS leadBureaus,
     CASE WHEN ruleLead IS NULL THEN null
          WHEN leadFound.transfer IS NULL THEN ruleLead
          WHEN leadFound.transfer.status <> 'after' THEN leadFound.transfer.predecessor
          WHEN size(leadFound.bureaus) = 1 THEN leadFound.bureaus[0]
     END AS leadId
WITH ds, d, a, chosen, v, ruleLead, found, transfer, leadId,
     CASE WHEN leadId IS NOT NULL THEN [] WHEN ruleLead IS NOT NULL THEN leadBureaus ELSE coalesce(v.candidates, []) END AS named,
     [x IN ruleCooperating WHERE leadId IS NULL OR x <> ruleLead] AS helping
WITH ds, d, a, chosen, v, ruleLead, transfer, leadId,
     reduce(s = [], x IN reduce(all = [], c IN helping | all + head([f IN found WHERE f.id = c]).bureaus)
            | CASE WHEN x IN s OR x = leadId THEN s ELSE s + x END) AS cooperating,
     reduce(s = [], x IN reduce(all = [], c IN named | all + head([f IN found WHERE f.id = c]).bureaus)
            | CASE WHEN x IN s THEN s ELSE s + x END) AS candidates
RETURN a {.id, .name, .nameEn} AS activity,
       [l IN chosen | l {.id, .name}] AS missing,
       toString(d) AS asOf,
       CASE WHEN leadId IS NULL THEN 'undetermined' ELSE v.rule END AS rule,
       head(COLLECT { MATCH (b:Bureau {dataset: ds.id, id: leadId}) RETURN b {.id, .name, .fullName, .nameEn, .level, .system} }) AS lead,
       head(COLLECT { MATCH (:Bureau {dataset: ds.id, id: leadId})-[:GUIDED_BY]->(b:Bureau)
                      RETURN b {.id, .name, .fullName, .nameEn, .level, .system} }) AS guidedBy,
       head(COLLECT { MATCH (:Bureau {dataset: ds.id, id: leadId})-[:AGENCY_OF]->(b:Bureau)
                      RETURN b {.id, .name, .fullName, .nameEn, .level, .system} }) AS agencyOf,
       COLLECT { UNWIND cooperating AS x MATCH (b:Bureau {dataset: ds.id, id: x}) RETURN b {.id, .name} } AS cooperating,
       COLLECT { UNWIND candidates AS x MATCH (b:Bureau {dataset: ds.id, id: x}) RETURN b {.id, .name} } AS candidates,
       CASE WHEN transfer IS NULL THEN null ELSE {
         predecessor: head(COLLECT { MATCH (b:Bureau {dataset: ds.id, id: transfer.predecessor}) RETURN b {.id, .name} }),
         successors: COLLECT { UNWIND transfer.successors AS x MATCH (b:Bureau {dataset: ds.id, id: x}) RETURN b {.id, .name} },
         notBefore: transfer.notBefore,
         notAfter: transfer.notAfter,
         status: transfer.status
       } END AS transfer
