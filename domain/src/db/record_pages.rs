//! What a record page shows of its record, in one round trip: an account with its latest
//! tickets, or a ticket with its account.

use super::{TenantScope, with_pool};
use crate::account::{Account, AccountId, AccountTier};
use crate::ticket::{Ticket, TicketId};

/// The account `acc` (in the columns `Account` reads) of the scope's tenant (`$1`) with id
/// `$2`, read once for the rows it is joined to.
const ACCOUNT: &str = "WITH acc AS MATERIALIZED (SELECT a.id, a.name, a.domain, a.tier, a.owner, \
     (SELECT COUNT(*) FROM tickets o WHERE o.account_id = a.id AND o.tenant_id = a.tenant_id \
      AND o.status IN ('open', 'pending')) AS open_tickets \
     FROM accounts a WHERE a.tenant_id = $1 AND a.id = $2)";

/// The account's tickets (`t`) that `rest` keeps, each with the account's columns.
fn tickets_of_account(rest: &str) -> String {
    format!(
        "{ACCOUNT} SELECT t.id, t.account_id, t.title, t.description, t.status, t.priority, \
         t.requester, t.created_at, t.updated_at, t.version, acc.name, acc.domain, acc.tier, \
         acc.owner, acc.open_tickets FROM acc JOIN tickets t ON t.tenant_id = $1 \
         AND t.account_id = acc.id {rest}"
    )
}

/// A ticket with its account's columns beside it.
#[derive(sqlx::FromRow)]
struct TicketOfAccount {
    #[sqlx(flatten)]
    ticket: Ticket,
    name: String,
    domain: String,
    #[sqlx(try_from = "String")]
    tier: AccountTier,
    owner: String,
    open_tickets: i64,
}

impl TicketOfAccount {
    fn account(&self) -> Account {
        Account {
            id: self.ticket.account_id,
            name: self.name.clone(),
            domain: self.domain.clone(),
            tier: self.tier,
            owner: self.owner.clone(),
            open_tickets: self.open_tickets,
        }
    }
}

impl TenantScope<'_> {
    /// The account `id` and its `limit` most recently changed tickets. An account without
    /// tickets takes a second query, for the account alone.
    pub async fn account_with_tickets(
        &self,
        id: AccountId,
        limit: i64,
    ) -> Result<Option<(Account, Vec<Ticket>)>, sqlx::Error> {
        let sql = tickets_of_account("ORDER BY t.updated_at DESC, t.id DESC LIMIT $3");
        let rows: Vec<TicketOfAccount> = with_pool!(self.db, pool => sqlx::query_as(&sql)
            .bind(self.tenant.as_str())
            .bind(id.0)
            .bind(limit)
            .fetch_all(pool)
            .await)?;
        let Some(first) = rows.first() else {
            return Ok(self.account(id).await?.map(|a| (a, Vec::new())));
        };
        let account = first.account();
        Ok(Some((
            account,
            rows.into_iter().map(|r| r.ticket).collect(),
        )))
    }

    /// The ticket `id` of the account `account`, with that account.
    pub async fn ticket_with_account(
        &self,
        account: AccountId,
        id: TicketId,
    ) -> Result<Option<(Account, Ticket)>, sqlx::Error> {
        let sql = tickets_of_account("WHERE t.id = $3");
        let row: Option<TicketOfAccount> = with_pool!(self.db, pool => sqlx::query_as(&sql)
            .bind(self.tenant.as_str())
            .bind(account.0)
            .bind(id.0)
            .fetch_optional(pool)
            .await)?;
        Ok(row.map(|r| (r.account(), r.ticket)))
    }
}

#[cfg(test)]
mod tests {
    use crate::db::testing::fresh_db;
    use crate::demo::{CONTOSO, FABRIKAM};
    use crate::{AccountId, TenantId, TicketId};

    #[tokio::test]
    async fn a_record_page_reads_what_the_separate_reads_give() {
        let db = fresh_db().await.unwrap();
        crate::demo::load(&db).await.unwrap();
        let contoso = TenantId::parse(CONTOSO).unwrap();
        let scope = db.scope(&contoso);
        let accounts = scope
            .accounts("", crate::PageRequest::new(1, 100))
            .await
            .unwrap();
        let bare = scope
            .create_account(&crate::db::NewAccount {
                name: "Bare",
                domain: "bare.example",
                tier: crate::AccountTier::Standard,
                owner: "Alex Wilber",
            })
            .await
            .unwrap();
        let ids = accounts.items.iter().map(|a| a.id).chain([bare]);
        for id in ids {
            let (account, tickets) = scope.account_with_tickets(id, 5).await.unwrap().unwrap();
            assert_eq!(tickets.is_empty(), id == bare);
            assert_eq!(Some(&account), scope.account(id).await.unwrap().as_ref());
            assert_eq!(tickets, scope.tickets(id, 5).await.unwrap());
            for ticket in tickets {
                let (a, t) = scope
                    .ticket_with_account(id, ticket.id)
                    .await
                    .unwrap()
                    .unwrap();
                assert_eq!((a, t), (account.clone(), ticket));
            }
        }
        // Another organisation's records, and a ticket under another account, are not found.
        let fabrikam = TenantId::parse(FABRIKAM).unwrap();
        let theirs = db.scope(&fabrikam);
        let (account, tickets) = scope
            .account_with_tickets(AccountId(1), 5)
            .await
            .unwrap()
            .unwrap();
        assert!(
            theirs
                .account_with_tickets(account.id, 5)
                .await
                .unwrap()
                .is_none()
        );
        let ticket = tickets[0].id;
        assert!(
            theirs
                .ticket_with_account(account.id, ticket)
                .await
                .unwrap()
                .is_none()
        );
        let other = AccountId(account.id.0 + 1);
        assert!(
            scope
                .ticket_with_account(other, ticket)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            scope
                .ticket_with_account(account.id, TicketId(i64::MAX))
                .await
                .unwrap()
                .is_none()
        );
    }

    #[tokio::test]
    async fn the_activity_comes_with_the_viewers_rights_and_no_one_elses() {
        use crate::licence::{PersonRights, Rights, RightsSource};
        let db = fresh_db().await.unwrap();
        crate::demo::load(&db).await.unwrap();
        let contoso = TenantId::parse(CONTOSO).unwrap();
        let scope = db.scope(&contoso);
        let account = scope
            .accounts("", crate::PageRequest::new(1, 1))
            .await
            .unwrap()
            .items[0]
            .id;
        let record = crate::RecordRef {
            account,
            ticket: None,
        };
        let megan = PersonRights {
            object_id: "0e6a0b00-0000-4e6a-8c00-00000000e6a0".into(),
            name: "Megan Bowen".into(),
            email: "megan@contoso.example".into(),
            rights: Rights::Standard,
            pending: true,
            source: RightsSource::SignIn,
            read_at: time::OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap(),
        };
        db.person_rights_read(&contoso, &megan).await.unwrap();

        let (activity, rights) = scope
            .activity_seen_by(record, Some(&megan.object_id))
            .await
            .unwrap();
        assert_eq!(activity, scope.activity(record).await.unwrap());
        assert_eq!(rights, Some(megan.clone()));
        assert_eq!(
            rights,
            db.person_rights(&contoso, &megan.object_id).await.unwrap()
        );
        let unread = scope.activity_seen_by(record, Some("someone-else")).await;
        assert_eq!(unread.unwrap().1, None);
        assert_eq!(scope.activity_seen_by(record, None).await.unwrap().1, None);
        // The same person id in another organisation is not Megan.
        let fabrikam = TenantId::parse(FABRIKAM).unwrap();
        let elsewhere = db
            .scope(&fabrikam)
            .activity_seen_by(record, Some(&megan.object_id))
            .await
            .unwrap();
        assert_eq!(elsewhere.1, None);
    }
}
