// End a load: the database now holds exactly this load of the dataset. Returns 0 when another load of the same
// dataset started meanwhile (its loadId replaced ours), which then has to complete instead.
// $uid: the Dataset node's uid; $load: the id of this load.
MATCH (d:DutyNode:Dataset {uid: $uid})
WHERE d.loadId = $load
SET d.loadState = 'complete'
RETURN count(d) AS completed
