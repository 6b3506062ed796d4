// Start a load: mark the dataset's node as loading by this load, before anything else is written, so that an
// interrupted or failed load leaves a state that the analyst queries refuse.
// $dataset: the dataset id; $uid: the Dataset node's uid; $load: the id of this load.
MERGE (d:DutyNode:Dataset {uid: $uid})
SET d.id = $dataset, d.dataset = $dataset, d.loadId = $load, d.loadState = 'loading'
