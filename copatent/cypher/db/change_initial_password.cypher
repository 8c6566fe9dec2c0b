// Run on the system database as the built-in user whose initial password must be changed.
ALTER CURRENT USER SET PASSWORD FROM $old TO $new
