// Change the connected user's password (on the system database); used for the built-in user's
// initial password, which Neo4j marks for change.
ALTER CURRENT USER SET PASSWORD FROM $old TO $new
