"""What Acme's customers write about, and what support answers: the demo tickets' words."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    subject: str
    body: str
    tags: tuple[str, ...]
    priority: str
    reply: str  # the first reply when the ticket takes a second one
    resolution: str  # the closing message
    category: str = ""  # must-escalate category (PRODUCT.md §6), if any
    # The first reply when it solves the ticket at once (first-contact resolution).
    answer: str = ""
    # What an agent who cannot solve it escalates it as: a routine ticket has no must-escalate
    # topic, but an agent without the right training hands it on as a suspected defect (or,
    # for a payment problem, to billing) where a trained one would have answered.
    escalate_as: str = ""


ROUTINE = (
    Topic(
        "Dashboard stuck on 'Loading data'",
        "Since this morning our sales dashboard never finishes loading. Other dashboards are "
        "fine. Can you take a look?",
        ("dashboards",),
        "P2",
        "Thanks for the report. The dashboard's main dataset is hitting the query timeout "
        "after yesterday's schema change. I'm checking which widget triggers it now.",
        "The 'Pipeline by stage' widget was grouping on a column that no longer exists. I "
        "pointed it at the new column and the dashboard loads in under three seconds again.",
        answer=(
            "The 'Pipeline by stage' widget groups on a column that yesterday's schema change "
            "removed, so the dashboard's query times out. I pointed the widget at the new column; "
            "the dashboard loads in under three seconds again."
        ),
        escalate_as="platform_defect",
    ),
    Topic(
        "Salesforce connector stopped syncing",
        "Our Salesforce data has not refreshed since Tuesday. The connector page just says "
        "'sync failed'.",
        ("integration", "connector"),
        "P2",
        "I can see the sync failing with an expired OAuth token. Could an admin reconnect the "
        "connector from Settings > Data sources? I'll watch the next run.",
        "The reconnection worked and the backfill finished overnight; all objects are current.",
        answer=(
            "The connector's OAuth token expired on Tuesday. An admin can reconnect it under "
            "Settings > Data sources > Salesforce > Reconnect; the backfill then catches up by "
            "itself within a few hours."
        ),
        escalate_as="platform_defect",
    ),
    Topic(
        "API returns 429 during nightly export",
        "Our nightly export script gets HTTP 429 errors after a few hundred requests and the "
        "job fails.",
        ("api", "rate-limit"),
        "P2",
        "You're hitting the burst limit of 20 requests per second. The responses include a "
        "Retry-After header; honouring it with exponential backoff will fix the failures.",
        "With backoff in place your last three nightly runs completed. I also suggested the "
        "bulk export endpoint, which needs far fewer calls.",
        answer=(
            "You're hitting the burst limit of 20 requests per second. Honour the Retry-After "
            "header with exponential backoff and the nightly job completes; the bulk export "
            "endpoint also needs far fewer calls."
        ),
        escalate_as="platform_defect",
    ),
    Topic(
        "Webhook deliveries failing",
        "We stopped receiving webhook events for new alerts. Nothing changed on our side as "
        "far as we know.",
        ("webhook", "integration"),
        "P2",
        "The delivery log shows your endpoint answering 301 redirects since Monday. Webhooks "
        "don't follow redirects; could you update the URL to the final https address?",
        "Events are arriving again after the URL update, and the missed ones were replayed.",
        answer=(
            "Your endpoint has answered with 301 redirects since Monday, and webhooks don't "
            "follow redirects. Once the webhook URL under Settings > Webhooks is the final https "
            "address, the events I queued for you are replayed automatically."
        ),
        escalate_as="platform_defect",
    ),
    Topic(
        "SSO login loop for new users",
        "New team members get sent back to the Okta page in a loop when they try to sign in.",
        ("sso", "authentication"),
        "P2",
        "This usually means the users aren't assigned to the Acme app in Okta yet. Could you "
        "check the app assignment for one of them?",
        "Assigning the group to the Acme app in Okta fixed it; all five users signed in.",
        answer=(
            "The new users aren't assigned to the Acme app in Okta yet, so Okta sends them "
            "back. Assign their group under Applications > Acme > Assignments and they get "
            "straight in."
        ),
        escalate_as="platform_defect",
    ),
    Topic(
        "How do I schedule a weekly PDF report?",
        "I'd like the marketing dashboard emailed as a PDF every Monday at 8am to the team.",
        ("reports",),
        "P4",
        "Open the dashboard, choose Share > Schedule, pick PDF, Monday 08:00 and your team's "
        "addresses. The schedule uses the workspace time zone.",
        "The first scheduled report went out this morning; closing this, reply any time.",
        answer=(
            "Open the dashboard, choose Share > Schedule, pick PDF, Monday 08:00 and your "
            "team's addresses. The schedule uses the workspace time zone."
        ),
    ),
    Topic(
        "CSV export cuts off at 10,000 rows",
        "When I export the orders table to CSV I only get 10,000 rows, but there are more.",
        ("exports",),
        "P3",
        "Table exports from a dashboard are capped at 10,000 rows. For the full table use "
        "Datasets > Orders > Export, which streams every row.",
        "The dataset export gave you all 48,213 rows. Glad that worked.",
        answer=(
            "Table exports from a dashboard are capped at 10,000 rows. For the full table use "
            "Datasets > Orders > Export, which streams every row."
        ),
    ),
    Topic(
        "Editor can't see a shared dashboard",
        "A colleague with the Editor role says the finance dashboard is missing from her list.",
        ("permissions",),
        "P3",
        "The dashboard is in the Finance folder, which is restricted to its members. An admin "
        "can add her under Folder > Members.",
        "She was added to the folder and can open the dashboard now.",
        answer=(
            "The dashboard is in the Finance folder, which is restricted to its members. An "
            "admin can add her under Folder > Members and she sees it at once."
        ),
    ),
    Topic(
        "Numbers differ from our warehouse",
        "Revenue on the Acme dashboard is about 3% lower than in our warehouse for last month.",
        ("data-quality",),
        "P3",
        "The dashboard filters out refunded orders by default, which your warehouse query "
        "includes. I'm comparing the two definitions order by order to confirm.",
        "Confirmed: the difference is exactly the refunded orders. I showed you the toggle to "
        "include them if you need the gross figure.",
        answer=(
            "The dashboard leaves out returned orders by default, and your warehouse query "
            "includes them: the 3% is exactly those orders. The 'Include returns' switch in the "
            "filter bar shows the gross figure."
        ),
        escalate_as="platform_defect",
    ),
    Topic(
        "Slow queries on the usage dataset",
        "Anything built on the usage dataset takes over a minute to load since we added "
        "another year of history.",
        ("performance",),
        "P3",
        "The dataset isn't partitioned, so every query scans all four years. I'd suggest "
        "enabling date partitioning; I can walk you through it.",
        "With partitioning on event_date the dashboards load in about four seconds.",
        answer=(
            "The usage dataset isn't partitioned, so every query scans all four years. "
            "Turning on date partitioning on event_date (Datasets > Usage > Settings) brings the "
            "dashboards down to a few seconds."
        ),
        escalate_as="platform_defect",
    ),
    Topic(
        "Time zone on charts looks wrong",
        "All our charts show times one hour off since last week.",
        ("dashboards",),
        "P4",
        "The workspace time zone is set to UTC while your data is in Europe/Berlin; the "
        "daylight-saving change made the gap visible. An admin can change it in Settings.",
        "After switching the workspace to Europe/Berlin the charts line up again.",
        answer=(
            "The workspace time zone is UTC while your data is in Europe/Berlin; the "
            "daylight-saving change made the gap visible. An admin can switch it under Settings > "
            "Workspace and the charts line up again."
        ),
    ),
    Topic(
        "Alert fired twice for the same threshold",
        "Our inventory alert sent two emails within a minute for the same breach.",
        ("alerts",),
        "P3",
        "The alert has two recipients lists configured, one on the alert and one on the "
        "dashboard subscription. I'll confirm which one you want to keep.",
        "We removed the duplicate subscription; the alert now sends once.",
        answer=(
            "The alert has two recipient lists, one on the alert and one on a dashboard "
            "subscription. Removing the subscription under Subscriptions makes it send once."
        ),
        escalate_as="platform_defect",
    ),
    Topic(
        "API key stopped working after rotation",
        "We rotated our API key yesterday and since then every call from our ETL returns 401 "
        "Unauthorized.",
        ("api",),
        "P2",
        "The new key is active on your workspace; I'm checking which of your jobs still send "
        "the old one.",
        "The ETL's second job still read the old key from its secrets store; once updated, "
        "every call succeeded.",
        answer=(
            "Rotating a key retires the old one at once, and the 401s come from a job that still "
            "sends it: your nightly sync shows the old key's prefix. Update the key in that "
            "job's secrets and its calls succeed."
        ),
        escalate_as="platform_defect",
    ),
    Topic(
        "Embedded dashboard shows a blank frame",
        "The dashboard we embed in our customer portal shows an empty frame since this morning.",
        ("integration", "embedding"),
        "P3",
        "The embed requests reach us; I'm checking what the browser blocks on your side.",
        "Adding the portal's new domain to the allowed embed origins fixed it; the frame loads "
        "again.",
        answer=(
            "Your portal moved to a new domain this morning, and embeds only load on allowed "
            "origins. Add the new domain under Settings > Embedding > Allowed origins and the "
            "frame loads again."
        ),
        escalate_as="platform_defect",
    ),
    Topic(
        "Renewal payment did not go through",
        "Yesterday's renewal payment failed and we got an email saying our plan will be "
        "downgraded. The card is valid and has funds.",
        ("billing", "payment"),
        "P2",
        "I can see the renewal attempt and the bank's answer; I'm checking with the payment "
        "provider what the bank wants before anything changes on your plan.",
        "The owner confirmed the payment with the bank's 3-D Secure step and the renewal went "
        "through; nothing was downgraded.",
        answer=(
            "The bank declined the renewal because the card now asks for a 3-D Secure "
            "confirmation. An owner can confirm the payment under Settings > Billing > Plan; "
            "your plan stays as it is meanwhile."
        ),
        escalate_as="billing_dispute",
    ),
    Topic(
        "Add our VAT number to invoices",
        "Our finance team needs our EU VAT number on every invoice from now on.",
        ("billing", "invoice"),
        "P4",
        "Happy to help. Could you confirm the VAT number and the legal company name it is "
        "registered to?",
        "Both are on your billing profile now and this month's invoice was reissued with them.",
        answer=(
            "An owner can add the VAT number under Settings > Billing > Company details; it is "
            "printed on every invoice from then on, and I reissued this month's invoice with it."
        ),
    ),
    Topic(
        "Switching to annual billing",
        "We'd like to move from monthly to annual billing at our next renewal. How does that work?",
        ("billing",),
        "P3",
        "Good question; let me check how the switch works with the seats you added mid-cycle.",
        "Done: the plan renews annually from the 1st, with the mid-cycle seats included.",
        answer=(
            "Choose Annual under Settings > Billing > Plan; the change takes effect at your next "
            "renewal, and the seats you added mid-cycle move over with the same price per seat."
        ),
    ),
)

ESCALATIONS = {
    "refund": Topic(
        "Refund for seats we never used",
        "We bought 20 extra Editor seats in error last month and never used them. We'd like a "
        "refund for those seats, please.",
        ("billing", "refund"),
        "P2",
        "",
        "Our billing team approved a credit for the 20 unused seats on your next invoice.",
        category="refund",
    ),
    "account_security": Topic(
        "Suspicious login from another country",
        "We got a new-device alert for our admin account from a country where we have no "
        "staff, and the password may be compromised. Please help us secure the account.",
        ("security", "compromised"),
        "P1",
        "",
        "Our security team reset the sessions, enforced two-factor authentication for admins "
        "and confirmed no data was exported.",
        category="account_security",
    ),
    "billing_dispute": Topic(
        "Charged twice this month",
        "Our card was charged twice for the March invoice. Please look into it.",
        ("billing", "invoice"),
        "P2",
        "",
        "The duplicate charge was a payment retry that succeeded twice; billing refunded the "
        "second one.",
        category="billing_dispute",
    ),
    "platform_defect": Topic(
        "Data missing after the latest release",
        "Since the 2026.3 release, the cohort chart drops every cohort older than 12 months. "
        "It worked before the upgrade.",
        ("bug",),
        "P2",
        "",
        "Engineering shipped a fix for the cohort limit; your older cohorts are back.",
        category="platform_defect",
    ),
    "account_deletion": Topic(
        "Please delete our old workspace",
        "We merged two teams and want to delete the old 'EU marketing' workspace completely.",
        ("account",),
        "P3",
        "",
        "Acme confirmed the deletion with your owner; the workspace is scheduled for removal.",
        category="account_deletion",
    ),
    "financial_data": Topic(
        "Invoice history for our auditors",
        "Our auditors need every invoice and payment record for the last fiscal year.",
        ("billing",),
        "P3",
        "",
        "Billing sent the invoice history to your billing contact through the secure portal.",
        category="financial_data",
    ),
}

ESCALATION_NOTES = {
    "refund": "Customer asks for a refund of 20 unused seats; told them billing decides and "
    "will reply on this ticket.",
    "account_security": "Possible compromised admin account (new-device alert abroad). "
    "Acknowledged and handed to security.",
    "billing_dispute": "Reports a double charge on the March invoice; acknowledged.",
    "platform_defect": "Cohort chart drops cohorts older than 12 months since 2026.3; "
    "reproduced on their workspace.",
    "account_deletion": "Wants the 'EU marketing' workspace deleted; owner must confirm.",
    "financial_data": "Auditor request for invoice and payment records; not shared by support.",
}

ACKNOWLEDGEMENT = (
    "Thanks for letting us know. This is handled by Acme's {team} team, so I've passed it to "
    "them with the details; they'll reply on this ticket."
)

# An agent who does not know the answer asks for more; the customer never replies to it.
DETAILS_REQUEST = (
    "Thanks for reaching out. Could you send a screenshot, the exact steps you took and when "
    "it started? I'll look into it as soon as I have them."
)

# What a customer writes after an answer that solved it (no reply needed).
THANKS = (
    "That fixed it, thank you!",
    "Perfect, works now. Thanks for the quick answer.",
    "Great, all sorted on our side.",
)

FOLLOW_UPS = (
    "Thanks, that makes sense. I'll try it now.",
    "Done, it looks better already. I'll confirm tomorrow.",
    "Great, thanks for the quick answer.",
    "Could you also check whether this affects our second workspace?",
)

RATING_COMMENTS = {
    5: (
        "Fast, clear and friendly. Exactly what we needed.",
        "Solved it before our meeting, thank you!",
        "Explained the cause, not just the fix. Great support.",
    ),
    4: (
        "Good answer, took a little while.",
        "Helpful; the first suggestion didn't work but the second did.",
    ),
    3: (
        "We got there in the end, but it took longer than it should have.",
        "Had to chase for an answer.",
    ),
    2: ("Slow to respond and we had to explain the problem twice.",),
}
