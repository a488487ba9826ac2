use super::{TenantScope, with_pool};
use crate::account::{Account, AccountId, AccountTier};
use crate::page::{Page, PageRequest};

const ACCOUNT_COLUMNS: &str = "a.id, a.name, a.domain, a.tier, a.owner, \
     (SELECT COUNT(*) FROM tickets t WHERE t.account_id = a.id AND t.tenant_id = a.tenant_id \
      AND t.status IN ('open', 'pending')) AS open_tickets";

/// A new account's fields (accounts come from the ISV's own systems; the demo data makes them).
#[derive(Clone, Debug)]
pub struct NewAccount<'a> {
    pub name: &'a str,
    pub domain: &'a str,
    pub tier: AccountTier,
    pub owner: &'a str,
}

/// An account of a list, with the number of accounts the list has in all.
#[derive(sqlx::FromRow)]
struct Counted {
    #[sqlx(flatten)]
    account: Account,
    total: i64,
}

/// `%` and `_` in a search are literal characters, not wildcards.
fn like_pattern(search: &str) -> String {
    let escaped = search
        .trim()
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

impl TenantScope<'_> {
    /// Accounts whose name contains `search` (any case), by name.
    pub async fn accounts(
        &self,
        search: &str,
        request: PageRequest,
    ) -> Result<Page<Account>, sqlx::Error> {
        let pattern = like_pattern(search);
        // The count comes with the page in one round trip: an uncorrelated subquery, which
        // both engines evaluate once.
        let list = format!(
            "SELECT {ACCOUNT_COLUMNS}, ({COUNT}) AS total FROM accounts a WHERE a.tenant_id = $1 \
             AND LOWER(a.name) LIKE $2 ESCAPE '\\' ORDER BY LOWER(a.name), a.id LIMIT $3 OFFSET $4"
        );
        const COUNT: &str = "SELECT COUNT(*) FROM accounts c WHERE c.tenant_id = $1 \
                             AND LOWER(c.name) LIKE $2 ESCAPE '\\'";
        let rows: Vec<Counted> = with_pool!(self.db, pool => sqlx::query_as(&list)
            .bind(self.tenant.as_str())
            .bind(&pattern)
            .bind(request.limit())
            .bind(request.offset())
            .fetch_all(pool)
            .await)?;
        let total = match rows.first() {
            Some(row) => row.total,
            None if request.offset() == 0 => 0,
            // Past the last page: the count alone.
            None => with_pool!(self.db, pool => sqlx::query_scalar(COUNT)
                .bind(self.tenant.as_str())
                .bind(&pattern)
                .fetch_one(pool)
                .await)?,
        };
        Ok(Page {
            items: rows.into_iter().map(|r| r.account).collect(),
            total,
            request,
        })
    }

    pub async fn account(&self, id: AccountId) -> Result<Option<Account>, sqlx::Error> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.tenant_id = $1 AND a.id = $2"
        );
        with_pool!(self.db, pool => sqlx::query_as::<_, Account>(&sql)
            .bind(self.tenant.as_str())
            .bind(id.0)
            .fetch_optional(pool)
            .await)
    }

    pub async fn create_account(&self, account: &NewAccount<'_>) -> Result<AccountId, sqlx::Error> {
        const SQL: &str = "INSERT INTO accounts (tenant_id, name, domain, tier, owner, created_at) \
                           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
        let id: i64 = with_pool!(self.db, pool => sqlx::query_scalar(SQL)
            .bind(self.tenant.as_str())
            .bind(account.name)
            .bind(account.domain)
            .bind(account.tier.as_str())
            .bind(account.owner)
            .bind(super::tenants::now())
            .fetch_one(pool)
            .await)?;
        Ok(AccountId(id))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(super::like_pattern(" 100%_Co "), "%100\\%\\_co%");
    }
}
