// The state of a dataset's last load: 'loading' (running, interrupted or failed) or 'complete'; no row when the
// dataset was never loaded. $uid: the Dataset node's uid.
MATCH (d:DutyNode:Dataset {uid: $uid})
RETURN d.loadState AS state
