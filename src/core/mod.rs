//! The core: what azreg knows, with no I/O, no clock and no command line. The procedure as
//! checked data, the fields and their rules, the progress (the record) and what it says
//! (`report`), Microsoft Graph's permissions, the registration plan, and `edit`, the one writer
//! of the record. Times come in as arguments.
//!
//! May import: `i18n`, `text`, `secret`, and nothing else of azreg.

pub mod doctor;
pub mod edit;
pub mod fields;
pub mod permissions;
pub mod plan;
pub mod procedure;
pub mod progress;
pub mod renewal;
pub mod report;

/// Values of a whole registration, for the tests of every layer.
#[cfg(test)]
pub(crate) mod fixtures {
    pub const FULL: &[(&str, &str)] = &[
        ("portal_url", "https://portal.example.com"),
        ("collaboration", "mycompany"),
        ("app_name", "Intrexx Portal"),
        ("account_type", "AzureADMyOrg"),
        ("secret_description", "Intrexx connector"),
        ("secret_expiry", "2027-05-25"),
        ("client_secret", "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_"),
        ("client_id", "0b1c2d3e-1111-2222-3333-444455556666"),
        ("tenant_id", "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff"),
        ("admin_consent", "yes"),
    ];
}
