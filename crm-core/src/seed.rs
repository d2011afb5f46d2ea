//! The demo data of `seeds/`, embedded at build time and loaded through the services, so demo
//! rows obey every rule that real ones do. Loading twice adds nothing the second time.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::{
    Actor, CampaignStatus, Channel, Contact, ContactQuery, Crm, DealQuery, Error, FieldKind,
    FieldsOf, LeadSource, LeadStage, NewCampaign, NewContact, NewField, NewLead, NewTicket,
    NewUser, Priority, Result, Role, TicketPriority, TicketStatus,
};

/// The demo's lead choice field and its choices.
const PLAN_KEY: &str = "preferred_plan";
const PLANS: [&str; 3] = ["Starter", "Growth", "Enterprise"];
/// The demo's deal date field.
const DEMO_ON_KEY: &str = "demo_on";

/// Name pools for generated people: the demo's history draws from the start of each (see
/// [`HISTORY_POOLS`]), the volume generator from all of it.
pub(crate) const FIRST_NAMES: &[&str] = &[
    "Aditi", "Rohan", "Kiran", "Meena", "Suresh", "Anjali", "Vivek", "Nisha", "Arun", "Deepa",
    "Manoj", "Pooja", "Rajesh", "Swati", "Gaurav", "Lata", "Nikhil", "Rekha", "Sameer", "Tanvi",
    "Priya", "Aarav", "Ishaan", "Kavya", "Farhan", "Zoya", "Harpreet", "Lakshmi", "Omar", "Sara",
];
pub(crate) const LAST_NAMES: &[&str] = &[
    "Patel", "Iyer", "Singh", "Joshi", "Das", "Nair", "Chopra", "Bhat", "Kapoor", "Reddy",
    "Mishra", "Saxena", "Menon", "Ghosh", "Pandey", "Shetty", "Sharma", "Verma", "Khan", "Rao",
];
pub(crate) const COMPANIES: &[&str] = &[
    "Apex Retail",
    "BlueOak Foods",
    "Crestline Infra",
    "DeltaByte",
    "Evergreen Homes",
    "FinPeak",
    "GreenGrid Energy",
    "Horizon Travels",
    "Indus Textiles",
    "JetSet Logistics",
    "Kaveri Pharma",
    "Lotus Interiors",
    "Monsoon Media",
    "Nimbus Cloud",
    "Orbit Motors",
    "Pinnacle Realty",
    "Quantum Labs",
    "Riverstone Bank",
    "Saffron Foods",
    "Trident Steel",
];

/// How much of each pool the demo's generated history uses: the pools grew for the volume
/// generator after the demo was fixed, and the demo's data must stay as it was.
const HISTORY_POOLS: (usize, usize, usize) = (20, 16, 16);
/// The password of every demo user; printed by `crm demo`, never used outside a demo database.
pub const DEMO_PASSWORD: &str = "demo-pass-2025";

const USERS: &str = include_str!("../../seeds/users.json");
const CONTACTS: &str = include_str!("../../seeds/contacts.json");
const CAMPAIGNS: &str = include_str!("../../seeds/campaigns.json");
const LEADS: &str = include_str!("../../seeds/leads.json");
const TICKETS: &str = include_str!("../../seeds/tickets.json");

#[derive(Deserialize)]
struct SeedUser {
    username: String,
    display_name: String,
    email: String,
    role: Role,
}

#[derive(Deserialize)]
struct SeedContact {
    first_name: String,
    last_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    company: Option<String>,
    job_title: Option<String>,
    location: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    owner: String,
    #[serde(default)]
    consent_email: bool,
}

#[derive(Deserialize)]
struct SeedCampaign {
    name: String,
    code: String,
    status: CampaignStatus,
    channel: Channel,
    budget: String,
    start_date: NaiveDate,
    end_date: NaiveDate,
    objective: String,
    owner: String,
    team: Vec<String>,
    priority: Priority,
    planned_leads: i64,
    utm_source: Option<String>,
    utm_medium: Option<String>,
    utm_campaign: Option<String>,
    /// (date, amount, note)
    spend: Vec<(NaiveDate, String, String)>,
    /// How many generated leads make up the campaign's history.
    generated_leads: usize,
}

#[derive(Deserialize)]
struct SeedLead {
    first_name: String,
    last_name: String,
    email: String,
    phone: String,
    company: String,
    source: LeadSource,
    campaign: String,
    stage: LeadStage,
    score: i64,
    owner: String,
}

#[derive(Deserialize)]
struct SeedTicket {
    subject: String,
    contact_email: String,
    priority: TicketPriority,
    assignee: Option<String>,
    description: String,
    status: TicketStatus,
    resolution: Option<String>,
}

/// What a demo load did.
#[derive(Debug, Clone, Default)]
pub struct DemoReport {
    /// Users created in this run (username, role); empty on a rerun.
    pub users_created: Vec<(String, Role)>,
    pub contacts_created: usize,
    pub campaigns_created: usize,
    pub leads_created: usize,
    /// The demo admin, for front ends that open straight onto the demo.
    pub admin: Option<Actor>,
}

fn parse<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> Result<T> {
    serde_json::from_str(text)
        .map_err(|e| Error::invalid(format!("seed file {name}"), e.to_string()))
}

impl Crm {
    /// Loads the demo that is not there yet: users, contacts, the seed's sample campaigns and
    /// leads and, with `history`, generated leads, conversions and won deals behind them.
    pub fn load_demo(&self, history: bool) -> Result<DemoReport> {
        let users: Vec<SeedUser> = parse("users.json", USERS)?;
        let contacts: Vec<SeedContact> = parse("contacts.json", CONTACTS)?;
        let campaigns: Vec<SeedCampaign> = parse("campaigns.json", CAMPAIGNS)?;
        let leads: Vec<SeedLead> = parse("leads.json", LEADS)?;
        let tickets: Vec<SeedTicket> = parse("tickets.json", TICKETS)?;
        let mut report = DemoReport::default();

        let (first, rest) = users
            .split_first()
            .ok_or_else(|| Error::invalid("seed file users.json", "has no users"))?;
        if self.store.read(|tx| tx.count_users())? == 0 {
            self.bootstrap_admin(&new_user(first), DEMO_PASSWORD)?;
            report
                .users_created
                .push((first.username.clone(), Role::Admin));
        }
        let admin = self.actor_named(&first.username).map_err(|_| {
            Error::Conflict(
                "this database was not made by `crm demo`; give the demo a new --db path".into(),
            )
        })?;
        for user in rest {
            if self.store.read(|tx| tx.user_id(&user.username))?.is_none() {
                self.add_user(&admin, &new_user(user), DEMO_PASSWORD)?;
                report
                    .users_created
                    .push((user.username.clone(), user.role));
            }
        }

        let mut new_contacts = Vec::new();
        for seed in &contacts {
            if self.demo_contact_exists(&admin, seed.email.as_deref())? {
                continue;
            }
            new_contacts.extend(seed.email.clone());
            self.add_contact(
                &admin,
                &NewContact {
                    first_name: seed.first_name.clone(),
                    last_name: seed.last_name.clone(),
                    email: seed.email.clone(),
                    phone: seed.phone.clone(),
                    company: seed.company.clone(),
                    job_title: seed.job_title.clone(),
                    location: seed.location.clone(),
                    tags: seed.tags.clone(),
                    owner: Some(seed.owner.clone()),
                    consent_email: seed.consent_email,
                    ..NewContact::default()
                },
            )?;
            report.contacts_created += 1;
        }
        // Tickets come with their contacts, so a rerun (contacts already there) adds none.
        for seed in tickets
            .iter()
            .filter(|t| new_contacts.contains(&t.contact_email))
        {
            self.demo_ticket(&admin, seed)?;
        }
        let mut fresh = Vec::new();
        for seed in &campaigns {
            if self.campaign(&admin, &seed.code).is_ok() {
                continue;
            }
            self.add_campaign(&admin, &new_campaign(seed))?;
            for (day, amount, note) in &seed.spend {
                self.add_spend(&admin, &seed.code, *day, amount, Some(note))?;
            }
            report.campaigns_created += 1;
            fresh.push(seed);
        }
        let with_fields = self.demo_fields(&admin)?;
        for (i, seed) in leads
            .iter()
            .filter(|l| fresh.iter().any(|c| c.code == l.campaign))
            .enumerate()
        {
            let mut new = new_lead(seed);
            if with_fields {
                new.fields
                    .insert(PLAN_KEY.into(), PLANS[i % PLANS.len()].into());
            }
            self.add_lead(&admin, &new)?;
            report.leads_created += 1;
        }
        if history {
            let mut rng = Lcg(0x5eed_c0de);
            for seed in &fresh {
                report.leads_created +=
                    self.generate_history(&admin, seed, &mut rng, with_fields)?;
            }
        }
        if with_fields {
            self.demo_deal_dates(&admin)?;
        }
        report.admin = Some(admin);
        Ok(report)
    }

    /// Generated leads for a campaign: a realistic spread of sources, stages and scores, about
    /// one in ten converted, their deals spread over the pipeline (a few won, a few lost). Deterministic (fixed seed).
    fn generate_history(
        &self,
        admin: &Actor,
        campaign: &SeedCampaign,
        rng: &mut Lcg,
        with_fields: bool,
    ) -> Result<usize> {
        let sources = [
            LeadSource::Website,
            LeadSource::WebForm,
            LeadSource::Referral,
            LeadSource::Event,
            LeadSource::Email,
            LeadSource::Social,
            LeadSource::PaidAds,
        ];
        let mut made = 0;
        for n in 0..campaign.generated_leads {
            let (first, last, company) = HISTORY_POOLS;
            let first = FIRST_NAMES[rng.below(first)];
            let last = LAST_NAMES[rng.below(last)];
            let company = COMPANIES[rng.below(company)];
            let domain: String = company
                .to_lowercase()
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            let roll = rng.below(100);
            let stage = match roll {
                0..=29 => LeadStage::New,
                30..=59 => LeadStage::Contacted,
                75..=89 => LeadStage::Lost,
                // 60..=74 stay Qualified; 90 and up are Qualified until converted below.
                _ => LeadStage::Qualified,
            };
            let lead = self.add_lead(
                admin,
                &NewLead {
                    first_name: first.into(),
                    last_name: Some(last.into()),
                    company: Some(company.into()),
                    email: Some(format!(
                        "{}.{}{n}@{domain}.in",
                        first.to_lowercase(),
                        last.to_lowercase()
                    )),
                    phone: Some(format!(
                        "+91 9{:04} {:05}",
                        rng.below(10_000),
                        rng.below(100_000)
                    )),
                    source: Some(sources[rng.below(sources.len())]),
                    campaign: Some(campaign.code.clone()),
                    stage: Some(stage),
                    score: Some(i64::try_from(5 + rng.below(91)).unwrap_or(50)),
                    auto_assign: true,
                    // Three leads in four said which plan they want (no draw from `rng`, so
                    // the rest of the history is as it was).
                    fields: PLANS
                        .get(made % 4)
                        .filter(|_| with_fields)
                        .map(|plan| (PLAN_KEY.to_string(), (*plan).to_string()))
                        .into_iter()
                        .collect(),
                    ..NewLead::default()
                },
            )?;
            made += 1;
            if roll >= 90 {
                let amount = format!("{}", 20_000 + rng.below(9) * 10_000);
                let deal = self
                    .convert_lead(admin, lead.id, None, Some(&amount), false)?
                    .deal_id;
                // Spread the deals over the pipeline so the board and reports have shape.
                match roll {
                    92 => drop(self.move_deal(admin, deal, "Qualified")?),
                    93 => drop(self.move_deal(admin, deal, "Proposal")?),
                    94 => drop(self.move_deal(admin, deal, "Negotiation")?),
                    95 | 96 => drop(self.lose_deal(admin, deal, "Went with a cheaper offer")?),
                    97..=99 => drop(self.win_deal(admin, deal)?),
                    _ => {}
                }
            }
        }
        Ok(made)
    }

    /// The demo's custom fields (issue 25), so they show on the first run: a choice field on
    /// leads and a date field on deals. False when the database has them already (a rerun).
    fn demo_fields(&self, admin: &Actor) -> Result<bool> {
        if !self.fields(admin, Some(FieldsOf::Leads), true)?.is_empty() {
            return Ok(false);
        }
        self.add_field(
            admin,
            FieldsOf::Leads,
            &NewField {
                label: "Preferred plan".into(),
                key: Some(PLAN_KEY.into()),
                kind: Some(FieldKind::Choice),
                choices: PLANS.iter().map(|p| (*p).to_string()).collect(),
                required: false,
            },
        )?;
        self.add_field(
            admin,
            FieldsOf::Deals,
            &NewField {
                label: "Demo on".into(),
                key: Some(DEMO_ON_KEY.into()),
                kind: Some(FieldKind::Date),
                ..NewField::default()
            },
        )?;
        Ok(true)
    }

    /// A product demo date on the newest open deals, a few days after each was opened:
    /// written as data the deals came with, not as edits in the activity feed.
    fn demo_deal_dates(&self, admin: &Actor) -> Result<()> {
        let query = DealQuery {
            open_only: true,
            limit: 12,
            ..DealQuery::default()
        };
        for (i, deal) in self.list_deals(admin, &query)?.items.iter().enumerate() {
            let day = deal.created_at.date_naive() + chrono::Days::new(3 + i as u64 % 5);
            let input = [(DEMO_ON_KEY.to_string(), day.to_string())].into();
            self.store.write(|tx| {
                crate::service::write_fields(tx, FieldsOf::Deals, deal.id.0, &input, false)
            })?;
        }
        Ok(())
    }

    fn demo_ticket(&self, admin: &Actor, seed: &SeedTicket) -> Result<()> {
        let contact = self
            .list_contacts(
                admin,
                &ContactQuery {
                    search: Some(seed.contact_email.clone()),
                    ..ContactQuery::default()
                },
            )?
            .items
            .into_iter()
            .next()
            .ok_or_else(|| Error::not_found("contact", &seed.contact_email))?;
        let ticket = self.add_ticket(
            admin,
            &NewTicket {
                fields: crate::FieldInput::default(),
                subject: seed.subject.clone(),
                description: Some(seed.description.clone()),
                contact: contact.id,
                priority: Some(seed.priority),
                assignee: seed.assignee.clone(),
            },
        )?;
        if seed.status != TicketStatus::Open {
            self.start_ticket(admin, ticket.id)?;
        }
        if let (TicketStatus::Resolved, Some(resolution)) = (seed.status, &seed.resolution) {
            self.resolve_ticket(admin, ticket.id, resolution)?;
        }
        Ok(())
    }

    fn demo_contact_exists(&self, admin: &Actor, email: Option<&str>) -> Result<bool> {
        let Some(email) = email else { return Ok(false) };
        let page = self.list_contacts(
            admin,
            &ContactQuery {
                search: Some(email.to_string()),
                ..ContactQuery::default()
            },
        )?;
        Ok(page.items.iter().any(|c: &Contact| {
            c.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(email))
        }))
    }
}

/// A small deterministic generator (Knuth's MMIX LCG): the demo is the same on every machine.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from((self.0 >> 33) % (n.max(1) as u64)).unwrap_or(0)
    }
}

fn new_campaign(seed: &SeedCampaign) -> NewCampaign {
    NewCampaign {
        name: seed.name.clone(),
        code: Some(seed.code.clone()),
        objective: Some(seed.objective.clone()),
        channel: Some(seed.channel),
        start_date: Some(seed.start_date),
        end_date: Some(seed.end_date),
        budget: Some(seed.budget.clone()),
        planned_leads: Some(seed.planned_leads),
        owner: Some(seed.owner.clone()),
        team: seed.team.clone(),
        status: Some(seed.status),
        priority: Some(seed.priority),
        utm_source: seed.utm_source.clone(),
        utm_medium: seed.utm_medium.clone(),
        utm_campaign: seed.utm_campaign.clone(),
        ..NewCampaign::default()
    }
}

fn new_lead(seed: &SeedLead) -> NewLead {
    NewLead {
        first_name: seed.first_name.clone(),
        last_name: Some(seed.last_name.clone()),
        email: Some(seed.email.clone()),
        phone: Some(seed.phone.clone()),
        company: Some(seed.company.clone()),
        source: Some(seed.source),
        campaign: Some(seed.campaign.clone()),
        stage: Some(seed.stage),
        score: Some(seed.score),
        owner: Some(seed.owner.clone()),
        ..NewLead::default()
    }
}

fn new_user(seed: &SeedUser) -> NewUser {
    NewUser {
        username: seed.username.clone(),
        display_name: Some(seed.display_name.clone()),
        email: Some(seed.email.clone()),
        role: Some(seed.role),
    }
}
