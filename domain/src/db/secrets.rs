use super::{Db, with_pool};

impl Db {
    /// The instance secret `name`, made by `make` and stored the first time it is asked for.
    /// Instances sharing the database agree on the value: the first one stored wins.
    pub async fn instance_secret(
        &self,
        name: &str,
        make: impl FnOnce() -> String,
    ) -> Result<String, sqlx::Error> {
        const INSERT: &str = "INSERT INTO instance_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
        const SELECT: &str = "SELECT value FROM instance_secrets WHERE name = $1";
        with_pool!(self, pool => {
            sqlx::query(INSERT).bind(name).bind(make()).execute(pool).await?;
            sqlx::query_scalar(SELECT).bind(name).fetch_one(pool).await
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::db::testing::fresh_db;

    #[tokio::test]
    async fn a_secret_is_made_once_and_kept() {
        let db = fresh_db().await.unwrap();
        let first = db.instance_secret("k", || "one".into()).await.unwrap();
        let again = db.instance_secret("k", || "two".into()).await.unwrap();
        assert_eq!((first.as_str(), again.as_str()), ("one", "one"));
    }
}
