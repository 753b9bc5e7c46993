//! The delivery-configuration model as Rust types
//!
//! These types exist to describe the model: the JSON Schema (`tollgate schema`), the field
//! reference (`docs/model.md`), structural validation and the rule-path check are all derived
//! from them. Doc comments are the field descriptions users read in their editor, so they say
//! what to write, in plant language. Every field is optional in the schema: a submission in
//! progress is still checked, and the rules that need a missing field report it.

#![allow(
    dead_code,
    reason = "the types are read by the schema generator, never constructed"
)]

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

/// A calendar date written `YYYY-MM-DD`
pub(crate) struct IsoDate;

impl JsonSchema for IsoDate {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "IsoDate".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "date" })
    }
}

/// A reference to an entry of `documents`, by its `id`
pub(crate) type DocumentRef = String;

/// One submission: a service provider's delivery configuration for one asset owner's site
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Delivery {
    /// Kind of document; `delivery` (the default) for this model
    kind: Option<String>,
    /// Who delivers what to whom, and when
    submission: Option<Submission>,
    /// SP.01: the people who work on the automation solution
    staffing: Option<Staffing>,
    /// SP.02: evidence that the solution's components are secure enough, security tools, hardening
    assurance: Option<Assurance>,
    /// SP.03: risk assessment, zones and interfaces, time, hardening, workstations, network devices, data
    architecture: Option<Architecture>,
    /// SP.04: wireless networks of the solution
    wireless: Option<Wireless>,
    /// SP.05: the safety instrumented system and how it is protected
    sis: Option<Sis>,
    /// SP.06: drawings, as-built records and the asset inventory
    configuration_management: Option<ConfigurationManagement>,
    /// SP.07: every way into the solution from outside the site
    remote_access: Option<RemoteAccess>,
    /// SP.08: incidents, security audit log, process events
    event_management: Option<EventManagement>,
    /// SP.09: the account database, accounts and password policy
    accounts: Option<Accounts>,
    /// SP.10: malware protection per asset, portable media, delivered devices
    malware_protection: Option<MalwareProtection>,
    /// SP.11: the patch register and how patches are approved and installed
    patch_management: Option<PatchManagement>,
    /// SP.12: backup jobs, restore tests and the recovery plan
    backup_restore: Option<BackupRestore>,
    /// Documents this submission relies on: procedures, guides, reports, plans
    documents: Option<Vec<Document>>,
}

/// Kind of service the provider delivers
#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ServiceKind {
    /// Designing, building and commissioning the automation solution
    Integration,
    /// Keeping a commissioned solution running
    Maintenance,
}

/// Who delivers what to whom, and when
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Submission {
    /// The service provider's company name
    provider: Option<String>,
    /// The asset owner's company name
    asset_owner: Option<String>,
    /// The plant or site the solution runs at
    site: Option<String>,
    /// Name of the automation solution (e.g. `Unit C4 DCS`)
    solution: Option<String>,
    /// `integration` or `maintenance`; rules that apply to the other kind are skipped
    service: Option<ServiceKind>,
    /// Lifecycle phase of this submission, e.g. `design`, `fat`, `sat`, `handover`, `operation`
    phase: Option<String>,
    /// Date of the submission; date rules measure ages from it unless `--as-of` is given
    date: Option<IsoDate>,
}

/// SP.01: the people who work on the automation solution
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Staffing {
    /// The provider's security contact for the asset owner
    security_contact: Option<Contact>,
    /// The provider's security lead for this solution
    security_lead: Option<SecurityLead>,
    /// Everyone, own staff or not, who works on the solution
    people: Option<Vec<Person>>,
    /// Changes of people with access to the solution, and when the asset owner was told
    personnel_changes: Option<Vec<PersonnelChange>>,
}

/// A named person to contact
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Contact {
    /// Full name
    name: Option<String>,
    /// Role or title
    role: Option<String>,
    /// E-mail address
    email: Option<String>,
    /// Telephone number
    phone: Option<String>,
}

/// The security lead and the qualifications the role needs
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SecurityLead {
    /// Full name
    name: Option<String>,
    /// Qualifications the provider requires for the role (e.g. `IEC 62443 Cybersecurity Fundamentals`)
    required_qualifications: Option<Vec<String>>,
    /// Qualifications the lead holds
    qualifications: Option<Vec<String>>,
    /// Document proving the qualifications (an entry of `documents`)
    evidence: Option<DocumentRef>,
}

/// Who a person works for, seen from the provider
#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Affiliation {
    /// Employed by the provider
    Own,
    /// Employed by a subcontractor
    Subcontractor,
    /// An independent consultant
    Consultant,
}

/// A person working on the solution
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Person {
    /// Full name
    name: Option<String>,
    /// Company the person works for
    organisation: Option<String>,
    /// `own`, `subcontractor` or `consultant`
    affiliation: Option<Affiliation>,
    /// Role on the project (e.g. `DCS engineer`)
    role: Option<String>,
    /// Whether the person has access to the solution or its data
    access: Option<bool>,
    /// Last training on the provider's IEC 62443-2-4 security duties
    security_training: Option<IsoDate>,
    /// Last briefing on the asset owner's site security rules
    site_security_briefing: Option<IsoDate>,
    /// Last training on the asset owner's management-of-change and permit-to-work procedures
    change_procedure_training: Option<IsoDate>,
    /// Date the confidentiality agreement was signed
    confidentiality_agreement: Option<IsoDate>,
    /// Date of the last security background check
    background_check: Option<IsoDate>,
    /// Why no background check was done where one is not allowed by law
    background_check_exemption: Option<String>,
}

/// A person joining or leaving the solution
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PersonnelChange {
    /// Who
    person: Option<String>,
    /// `joined` or `left`
    change: Option<String>,
    /// When the change took effect
    date: Option<IsoDate>,
    /// When the asset owner was told
    asset_owner_notified: Option<IsoDate>,
}

/// SP.02: assurance
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Assurance {
    /// Security analysis tools (scanners) the provider uses or recommends
    security_tools: Option<Vec<SecurityTool>>,
    /// Checks that the hardening guide was applied, one per project phase or maintenance visit
    hardening_verifications: Option<Vec<HardeningVerification>>,
}

/// A security analysis tool
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SecurityTool {
    /// Tool name (e.g. `nmap`)
    name: Option<String>,
    /// What it is used for
    purpose: Option<String>,
    /// Known effects on the solution and how to avoid them
    adverse_effects: Option<String>,
    /// Date the asset owner approved running it on site
    asset_owner_approval: Option<IsoDate>,
    /// Scans run with the tool
    runs: Option<Vec<ToolRun>>,
}

/// One scan
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ToolRun {
    /// When it ran
    date: Option<IsoDate>,
    /// What was scanned
    scope: Option<String>,
    /// Whether it followed the asset owner's operating procedures
    per_asset_owner_procedure: Option<bool>,
}

/// Outcome of a check
#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum CheckResult {
    /// Everything checked was as expected
    Passed,
    /// Something was not as expected
    Failed,
}

/// A check that the hardening guide was applied
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct HardeningVerification {
    /// `fat`, `sat`, `commissioning` or `maintenance`
    phase: Option<String>,
    /// When it was done
    date: Option<IsoDate>,
    /// `passed` or `failed`
    result: Option<CheckResult>,
    /// Deviations still open
    open_deviations: Option<u32>,
}

/// SP.03: architecture
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Architecture {
    /// The security risk assessment of the solution
    risk_assessment: Option<RiskAssessment>,
    /// Independent review of the architecture
    third_party_review: Option<Review>,
    /// The network design the asset owner approved, and its as-built check
    network_design: Option<NetworkDesign>,
    /// Security zones
    zones: Option<Vec<Zone>>,
    /// Interfaces between zones and to external networks
    interfaces: Option<Vec<Interface>>,
    /// Where the solution's clocks get their time
    time_sync: Option<TimeSync>,
    /// Least functionality: what is switched off
    hardening: Option<Hardening>,
    /// Workstations and handhelds the provider is responsible for
    workstations: Option<Vec<Workstation>>,
    /// Switches, routers and firewalls the provider administers
    network_devices: Option<Vec<NetworkDevice>>,
    /// Data flows between components, including configuration changes
    data_flows: Option<Vec<DataFlow>>,
    /// Data stores that need protecting
    data_stores: Option<Vec<DataStore>>,
    /// Cryptography in use
    cryptography: Option<Cryptography>,
    /// Components taken out of the solution
    decommissioned: Option<Vec<Decommissioned>>,
}

/// The risk assessment
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RiskAssessment {
    /// When it was done or last updated
    date: Option<IsoDate>,
    /// Who did it
    performed_by: Option<String>,
    /// When the results and mitigations were reported to the asset owner
    reported_to_asset_owner: Option<IsoDate>,
    /// The report (an entry of `documents`)
    report: Option<DocumentRef>,
}

/// A review by another party
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Review {
    /// Who reviewed
    reviewer: Option<String>,
    /// Whether the reviewer is independent of the provider and accepted by the asset owner
    independent: Option<bool>,
    /// When
    date: Option<IsoDate>,
    /// Findings not yet addressed
    open_findings: Option<u32>,
}

/// The approved network design
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NetworkDesign {
    /// Design document (an entry of `documents`)
    document: Option<DocumentRef>,
    /// When the asset owner approved it
    asset_owner_approval: Option<IsoDate>,
    /// When the built network was last checked against it
    as_built_verified: Option<IsoDate>,
}

/// A security zone
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Zone {
    /// Zone name, referenced by interfaces
    name: Option<String>,
    /// Target security level, 1 to 4
    security_level: Option<u8>,
    /// What runs in it
    description: Option<String>,
}

/// How an interface is protected
#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum InterfaceProtection {
    /// A firewall with a documented rule set
    Firewall,
    /// A one-way gateway
    DataDiode,
    /// An application-level gateway or proxy
    ApplicationGateway,
    /// A router access-control list
    RouterAcl,
    /// Nothing
    None,
}

/// An interface between zones or to an external network
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Interface {
    /// Interface name
    name: Option<String>,
    /// Zone (or external network) on one side
    from: Option<String>,
    /// Zone on the other side
    to: Option<String>,
    /// Whether the other side is trusted; every interface must say
    trusted: Option<bool>,
    /// `firewall`, `data-diode`, `application-gateway`, `router-acl` or `none`
    protection: Option<InterfaceProtection>,
    /// When the protection's rule set was last reviewed
    rules_reviewed: Option<IsoDate>,
}

/// Time synchronisation
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TimeSync {
    /// Reference clock (e.g. `GPS grandmaster in the server room`)
    source: Option<String>,
    /// `ntp`, `ptp`, `irig-b`, `sntp`...
    protocol: Option<String>,
    /// Whether time messages are authenticated (NTS, NTP keys, PTP security)
    authenticated: Option<bool>,
    /// Whether there is a second source
    redundant: Option<bool>,
}

/// What is switched off (least functionality)
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Hardening {
    /// Unneeded applications, services and ports removed or disabled
    unneeded_services_disabled: Option<bool>,
    /// USB mass storage disabled where not needed
    usb_storage_disabled: Option<bool>,
    /// Bluetooth disabled where not needed
    bluetooth_disabled: Option<bool>,
    /// Unused switch ports shut down or locked
    unused_switch_ports_disabled: Option<bool>,
    /// Diagnostic and configuration ports protected
    diagnostic_ports_protected: Option<bool>,
    /// Only authorised addresses can connect
    address_allowlisting: Option<bool>,
    /// CA certificates installed beyond the approved list
    unapproved_ca_certificates: Option<u32>,
    /// When the installed CA certificates were last checked
    ca_certificates_reviewed: Option<IsoDate>,
}

/// A workstation or handheld
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Workstation {
    /// Host name
    name: Option<String>,
    /// `engineering`, `operator`, `maintenance-laptop`, `handheld`...
    role: Option<String>,
    /// Minutes of inactivity before the session locks; 0 means never
    session_lock_minutes: Option<u32>,
    /// Whether log-on needs a second factor
    mfa: Option<bool>,
    /// Whether it can reach instruments or Level 3 around the solution's access controls
    bypasses_access_control: Option<bool>,
}

/// A network device the provider administers
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NetworkDevice {
    /// Host name
    name: Option<String>,
    /// `switch`, `router`, `firewall`, `wireless-controller`...
    r#type: Option<String>,
    /// Whether administrators get only the rights their task needs
    least_privilege: Option<bool>,
    /// How administration access is controlled (e.g. `role-based`, `per-user`, `shared-password`)
    admin_access_control: Option<String>,
    /// Administration protocol (e.g. `ssh`, `https`, `telnet`, `http`)
    admin_protocol: Option<String>,
    /// Whether administrator and device authenticate each other
    mutual_authentication: Option<bool>,
    /// Whether stored configurations and passwords are encrypted
    config_encrypted_at_rest: Option<bool>,
}

/// A data flow
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DataFlow {
    /// Flow name
    name: Option<String>,
    /// Source component or zone
    from: Option<String>,
    /// Destination component or zone
    to: Option<String>,
    /// Whether this path and direction were approved
    approved: Option<bool>,
    /// Whether the receiver only accepts it from authorised users or systems
    authorised_only: Option<bool>,
    /// Whether it is protected in transit (encryption or integrity check)
    protected_in_transit: Option<bool>,
}

/// A data store that needs protecting
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DataStore {
    /// Store name
    name: Option<String>,
    /// What it holds
    content: Option<String>,
    /// Protection need for confidentiality, integrity and availability (`low`, `medium`, `high`)
    protection_need: Option<ProtectionNeed>,
    /// Whether it is protected at rest (encryption or access control)
    protected_at_rest: Option<bool>,
    /// When the asset owner approved the classification
    asset_owner_approval: Option<IsoDate>,
}

/// Protection need per property
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProtectionNeed {
    /// Confidentiality
    confidentiality: Option<String>,
    /// Integrity
    integrity: Option<String>,
    /// Availability
    availability: Option<String>,
}

/// Cryptography in use
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Cryptography {
    /// Algorithms in use (e.g. `AES-256-GCM`, `SHA-256`, `RSA-3072`)
    algorithms: Option<Vec<String>>,
    /// How keys are generated, distributed and protected (an entry of `documents`)
    key_management: Option<DocumentRef>,
}

/// A component taken out of the solution
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Decommissioned {
    /// Asset id
    asset: Option<String>,
    /// When it was removed
    date: Option<IsoDate>,
    /// When its protected data was erased
    data_erased: Option<IsoDate>,
    /// How (e.g. `cryptographic erase`, `shredded`)
    method: Option<String>,
}

/// SP.04: wireless
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Wireless {
    /// Wireless networks of the solution; an empty list says there are none
    networks: Option<Vec<WirelessNetwork>>,
}

/// A wireless network
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct WirelessNetwork {
    /// Network name (SSID or network id)
    ssid: Option<String>,
    /// What it carries
    purpose: Option<String>,
    /// `wifi`, `wirelesshart`, `isa100`, `bluetooth`...
    technology: Option<String>,
    /// Standard it follows (e.g. `IEEE 802.11ax`, `IEC 62591`)
    standard: Option<String>,
    /// `wpa3-enterprise`, `wpa2-enterprise`, `wpa3-personal`, `wpa2-personal`, `join-key`, `open`, `wep`
    authentication: Option<String>,
    /// `aes-ccmp`, `aes-gcmp`, `aes-128`, `tkip`, `none`
    encryption: Option<String>,
    /// How devices get addresses: `static`, `dhcp-reserved` or `dhcp`
    addressing: Option<String>,
    /// When the address assignment was last verified
    addressing_verified: Option<IsoDate>,
}

/// SP.05: the safety instrumented system
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Sis {
    /// Whether the solution includes a SIS; `false` makes the SIS rules not applicable
    present: Option<bool>,
    /// Security review of the SIS communications
    security_review: Option<Review>,
    /// How the SIS is protected from the BPCS and other traffic
    separation: Option<SisSeparation>,
    /// SIS engineering workstations
    engineering_workstations: Option<Vec<SisWorkstation>>,
    /// Wireless devices that take part in safety functions
    wireless_devices: Option<Vec<SisWirelessDevice>>,
    /// The switch that allows or blocks SIS configuration
    configuration_switch: Option<ConfigurationSwitch>,
}

/// How the SIS is kept apart from other traffic
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SisSeparation {
    /// `physical`, `firewall`, `data-diode` or `none`
    bpcs: Option<String>,
    /// Whether traffic from outside the solution (including remote access) is blocked from the SIS
    external_traffic_blocked: Option<bool>,
    /// Whether only SIS devices take part in safety communications
    safety_protocol_isolated: Option<bool>,
    /// Whether every access into the SIS passes an authorising interface
    access_mediated: Option<bool>,
}

/// A SIS engineering workstation
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SisWorkstation {
    /// Host name
    name: Option<String>,
    /// `inside-sis` or `outside-sis`
    location: Option<String>,
    /// Whether Level 3 and higher traffic cannot reach it
    level3_traffic_blocked: Option<bool>,
    /// `blocked`, `managed` (gated per session) or `open`
    remote_access: Option<String>,
    /// Whether SIS software runs isolated from other software on it
    sis_software_isolated: Option<bool>,
}

/// A wireless device in a safety function
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SisWirelessDevice {
    /// Device tag
    name: Option<String>,
    /// Whether the asset owner authorised it
    authorised: Option<bool>,
}

/// The SIS configuration-mode switch
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConfigurationSwitch {
    /// Whether configuration can be switched off
    present: Option<bool>,
    /// `hardware` (key switch) or `software`
    r#type: Option<String>,
    /// Whether it can be locked in the off position
    lockable: Option<bool>,
    /// Third-party check that the locked switch blocks configuration
    verification: Option<Review>,
}

/// SP.06: configuration management
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConfigurationManagement {
    /// Logical and physical network drawings
    drawings: Option<Vec<Drawing>>,
    /// When the as-built connection and configuration records were last updated
    as_built_updated: Option<IsoDate>,
    /// Every device and workstation the provider is responsible for
    assets: Option<Vec<Asset>>,
}

/// A drawing
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Drawing {
    /// Drawing number
    id: Option<String>,
    /// `logical` or `physical`
    r#type: Option<String>,
    /// Last revision date
    updated: Option<IsoDate>,
}

/// A device, server or workstation of the solution
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Asset {
    /// Asset id, used by backup jobs, patches and malware protection
    id: Option<String>,
    /// `controller`, `server`, `workstation`, `hmi`, `switch`, `firewall`, `sis-controller`...
    r#type: Option<String>,
    /// Manufacturer
    vendor: Option<String>,
    /// Model
    model: Option<String>,
    /// Serial number
    serial: Option<String>,
    /// Firmware or operating-system version
    version: Option<String>,
    /// Installed software with versions
    software: Option<Vec<Software>>,
    /// Security zone
    zone: Option<String>,
    /// Whether it is part of the safety instrumented system
    sis: Option<bool>,
    /// When its configuration was last compared with the approved values
    configuration_verified: Option<IsoDate>,
}

/// Installed software
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Software {
    /// Product
    name: Option<String>,
    /// Version
    version: Option<String>,
}

/// SP.07: remote access
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RemoteAccess {
    /// Every remote-access method; an empty list says there is none
    methods: Option<Vec<RemoteAccessMethod>>,
}

/// A remote-access method
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RemoteAccessMethod {
    /// Method name
    name: Option<String>,
    /// Product used (e.g. `IPsec VPN`, `RDP through a jump host`)
    application: Option<String>,
    /// Why it exists
    purpose: Option<String>,
    /// How the connection is made (e.g. `internet-vpn`, `leased-line`)
    connection: Option<String>,
    /// Where remote users connect from
    client_location: Option<String>,
    /// Who connects (company or team)
    client_identity: Option<String>,
    /// Whether it crosses the Internet or another public network
    over_public_network: Option<bool>,
    /// Whether the connection is encrypted
    encrypted: Option<bool>,
    /// Whether users need a second factor
    mfa: Option<bool>,
    /// `per-session` (the asset owner approves each connection) or `standing`
    approval: Option<String>,
    /// Longest session, in minutes
    max_session_minutes: Option<u32>,
    /// Account ids (from `accounts.inventory`) that can use it
    accounts: Option<Vec<String>>,
    /// Asset ids (from `configuration_management.assets`) it reaches
    targets: Option<Vec<String>>,
    /// Whether it can reach the SIS; must be `true` when a target is a SIS asset
    reaches_sis: Option<bool>,
    /// Installation, operation and termination instructions (an entry of `documents`)
    instructions: Option<DocumentRef>,
    /// `false` for a method that is configured but switched off
    enabled: Option<bool>,
}

/// SP.08: event management
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EventManagement {
    /// How detected compromises reach the asset owner
    compromise_reporting: Option<Reporting>,
    /// The security audit log
    audit_log: Option<AuditLog>,
    /// Simulated security events to prove they reach the audit log
    simulated_event_tests: Option<Vec<EventTest>>,
    /// Logging of process events
    process_events: Option<ProcessEvents>,
    /// How alarms and events are reported to other systems
    alarm_reporting: Option<Reporting>,
}

/// A reporting interface
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Reporting {
    /// Interface (e.g. `syslog`, `snmpv3`, `opc-ua`, `email`)
    interface: Option<String>,
    /// Whether reports are sent without someone having to act
    automatic: Option<bool>,
    /// Whether the interface is authenticated and encrypted
    secure: Option<bool>,
}

/// The security audit log
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditLog {
    /// Whether security events are logged
    enabled: Option<bool>,
    /// Event categories logged (e.g. `logon`, `logoff`, `account-management`, `configuration-change`)
    events: Option<Vec<String>>,
    /// Days the log is kept
    retention_days: Option<u32>,
    /// How others read it (e.g. `syslog`)
    interface: Option<String>,
}

/// A simulated security event
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EventTest {
    /// When
    date: Option<IsoDate>,
    /// What was simulated
    event: Option<String>,
    /// Whether the asset owner approved the simulation
    asset_owner_approved: Option<bool>,
    /// `passed` when the event reached the audit log
    result: Option<CheckResult>,
}

/// Process event logging
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProcessEvents {
    /// Whether process events are logged
    enabled: Option<bool>,
    /// Categories logged (e.g. `state-change`, `operating-condition`, `configuration-change`)
    categories: Option<Vec<String>>,
    /// Whether operators are notified as the asset owner requires
    operator_notification: Option<bool>,
}

/// SP.09: accounts
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Accounts {
    /// The account database
    database: Option<AccountDatabase>,
    /// The password policy enforced
    password_policy: Option<PasswordPolicy>,
    /// Every account of the solution
    inventory: Option<Vec<Account>>,
    /// Reports, after project or maintenance work, that temporary accounts were removed
    removal_reports: Option<Vec<RemovalReport>>,
    /// Passwords the asset owner agreed to share with the provider
    shared_passwords: Option<Vec<SharedPassword>>,
}

/// The account database
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccountDatabase {
    /// Product (e.g. `active-directory`, `ldap`, `local`)
    r#type: Option<String>,
    /// Whether there is one database for the whole solution (possibly replicated)
    integrated: Option<bool>,
    /// Whether only authorised administrators can create accounts
    creation_restricted: Option<bool>,
}

/// Password policy
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PasswordPolicy {
    /// Shortest password, in characters
    min_length: Option<u32>,
    /// Character classes required, of upper case, lower case, digits and symbols
    complexity_classes: Option<u32>,
    /// Days before a password expires
    max_age_days: Option<u32>,
    /// Days of warning before expiry
    expiry_warning_days: Option<u32>,
    /// Earlier passwords that cannot be reused
    history: Option<u32>,
    /// Days before a password may be changed again
    min_age_days: Option<u32>,
}

/// Kind of account
#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum AccountType {
    /// One named person
    Personal,
    /// Used by software, not people
    Service,
    /// An operator station's log-on
    Operator,
    /// Shipped with a product
    Default,
    /// The built-in administrator of an operating system or device
    BuiltInAdmin,
    /// For project or maintenance work only
    Temporary,
}

/// An account
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Account {
    /// Account name
    id: Option<String>,
    /// Person or team responsible
    owner: Option<String>,
    /// `personal`, `service`, `operator`, `default`, `built-in-admin` or `temporary`
    r#type: Option<AccountType>,
    /// Whether several people use it
    shared: Option<bool>,
    /// Whether it can log on
    enabled: Option<bool>,
    /// Whether the solution or its service needs the account; a default account nobody needs is
    /// removed or disabled
    needed: Option<bool>,
    /// Whether it was renamed from its factory name
    renamed: Option<bool>,
    /// Whether its password (or the account) expires
    expires: Option<bool>,
    /// Whether a factory password was changed
    default_password_changed: Option<bool>,
    /// Whether a generated password is unique to this account
    unique_password: Option<bool>,
    /// Last date the account is needed; it must be removed or disabled afterwards
    needed_until: Option<IsoDate>,
    /// How to set or reset its password (an entry of `documents`)
    password_procedure: Option<DocumentRef>,
}

/// A report that accounts were removed
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RemovalReport {
    /// When
    date: Option<IsoDate>,
    /// Work the accounts were for
    work: Option<String>,
    /// Account ids removed
    accounts: Option<Vec<String>>,
}

/// A password shared with the provider
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SharedPassword {
    /// Account id
    account: Option<String>,
    /// Date the asset owner agreed to share it
    asset_owner_agreed: Option<IsoDate>,
    /// Where it is kept (e.g. `KeePass vault on the service laptop`)
    stored_in: Option<String>,
    /// `in-use`, `no-longer-needed`, `divulged` or `compromised`
    status: Option<String>,
    /// When the asset owner was told about a status other than `in-use`
    reported: Option<IsoDate>,
}

/// SP.10: malware protection
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MalwareProtection {
    /// Protection per asset
    assets: Option<Vec<AssetProtection>>,
    /// Tests that the protection finds known malware
    detection_tests: Option<Vec<DetectionTest>>,
    /// Reports to the asset owner on new definition files
    definition_reports: Option<Vec<DefinitionReport>>,
    /// Devices the provider delivered, checked before use
    delivered_devices: Option<Vec<DeliveredDevice>>,
    /// Portable media the provider connects to the solution
    portable_media: Option<Vec<PortableMedium>>,
}

/// Malware protection of one asset
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AssetProtection {
    /// Asset id (from `configuration_management.assets`)
    asset: Option<String>,
    /// Product (e.g. an anti-virus or an allow-listing product)
    product: Option<String>,
    /// Whether it is installed
    installed: Option<bool>,
    /// Why it cannot be installed
    reason: Option<String>,
    /// Other measures used instead or in addition
    other_mitigations: Option<Vec<String>>,
    /// Whether real-time scanning or allow-listing is on
    active: Option<bool>,
    /// Date of the installed definition files
    definitions_date: Option<IsoDate>,
}

/// A detection test
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DetectionTest {
    /// When
    date: Option<IsoDate>,
    /// How (e.g. `eicar`)
    method: Option<String>,
    /// `passed` when the test file was detected and handled
    result: Option<CheckResult>,
}

/// A report on definition files
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DefinitionReport {
    /// Definition release date
    released: Option<IsoDate>,
    /// When it was reported to the asset owner
    reported: Option<IsoDate>,
    /// `approved`, `not-applicable` or `rejected`
    status: Option<String>,
}

/// A delivered device
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeliveredDevice {
    /// Asset id
    asset: Option<String>,
    /// When it was scanned before use
    scanned: Option<IsoDate>,
    /// Whether the scan found nothing
    clean: Option<bool>,
}

/// A portable medium
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PortableMedium {
    /// Label or serial
    id: Option<String>,
    /// Whether it is used only for this solution's work
    dedicated: Option<bool>,
    /// When it was last scanned
    last_scan: Option<IsoDate>,
    /// Whether the last scan found nothing
    clean: Option<bool>,
}

/// SP.11: patch management
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PatchManagement {
    /// When the patch evaluation and approval procedure was last reviewed
    procedure_reviewed: Option<IsoDate>,
    /// Where the asset owner gets the list of approved patches
    patch_list: Option<PatchList>,
    /// Whether updates are checked for authenticity and integrity before installation (signatures)
    update_verification: Option<String>,
    /// Patch status per asset
    asset_status: Option<Vec<AssetPatchStatus>>,
    /// Every security patch that applies to the solution
    patches: Option<Vec<Patch>>,
}

/// The patch list
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PatchList {
    /// Interface (e.g. `csv-export`, `wsus`, `portal`)
    interface: Option<String>,
    /// When it was last updated
    updated: Option<IsoDate>,
}

/// Patch status of one asset
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AssetPatchStatus {
    /// Asset id (from `configuration_management.assets`)
    asset: Option<String>,
    /// When its patch level was last checked
    checked: Option<IsoDate>,
    /// Applicable security patches not yet installed
    missing_patches: Option<u32>,
}

/// Severity of a patch
#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum PatchSeverity {
    /// Critical
    Critical,
    /// High
    High,
    /// Medium
    Medium,
    /// Low
    Low,
}

/// State of a patch
#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum PatchStatus {
    /// Being evaluated
    Evaluating,
    /// Approved, waiting for installation
    Approved,
    /// Installed
    Installed,
    /// Not approved
    Rejected,
    /// Does not apply to the solution
    NotApplicable,
}

/// A security patch
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Patch {
    /// Patch id (e.g. `KB5044284`)
    id: Option<String>,
    /// Asset id it applies to
    asset: Option<String>,
    /// `critical`, `high`, `medium` or `low`
    severity: Option<PatchSeverity>,
    /// When the manufacturer released it
    released: Option<IsoDate>,
    /// When its status was reported to the asset owner
    reported: Option<IsoDate>,
    /// `evaluating`, `approved`, `installed`, `rejected` or `not-applicable`
    status: Option<PatchStatus>,
    /// Whether installing it needs a restart
    restart_required: Option<bool>,
    /// Why it is rejected or not applicable
    reason: Option<String>,
    /// What is done instead while it is not installed
    mitigation: Option<String>,
    /// Whether the asset owner approved installing it
    asset_owner_approval: Option<bool>,
    /// When the asset owner wants it installed
    install_by: Option<IsoDate>,
    /// When it was installed
    installed: Option<IsoDate>,
    /// `manufacturer` or `provider`
    source: Option<String>,
    /// Whether the manufacturer allows the provider to redistribute it
    redistribution_permitted: Option<bool>,
    /// Whether hardening was checked after installation
    hardening_verified: Option<bool>,
}

/// SP.12: backup and restore
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct BackupRestore {
    /// Backup jobs, one per asset or group of assets
    jobs: Option<Vec<BackupJob>>,
    /// Complete backup and restore demonstrations
    full_restore_tests: Option<Vec<RestoreTest>>,
    /// Recovery point objective agreed with the asset owner, in hours
    recovery_point_hours: Option<u32>,
}

/// A backup job
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct BackupJob {
    /// Asset id (from `configuration_management.assets`)
    asset: Option<String>,
    /// `full` or `partial`
    r#type: Option<String>,
    /// `hourly`, `daily`, `weekly` or `monthly`
    schedule: Option<String>,
    /// Last successful backup
    last_success: Option<IsoDate>,
    /// Last time a restore from it was tested
    last_restore_test: Option<IsoDate>,
    /// Whether a copy is kept off site
    offsite_copy: Option<bool>,
    /// Whether the asset keeps operating normally while it runs
    online: Option<bool>,
}

/// A complete backup and restore demonstration
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RestoreTest {
    /// When
    date: Option<IsoDate>,
    /// What was restored
    scope: Option<String>,
    /// `passed` when the restored solution worked
    result: Option<CheckResult>,
}

/// A document the submission relies on
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Document {
    /// Document number, referenced from the sections
    id: Option<String>,
    /// Title
    title: Option<String>,
    /// Version or revision
    version: Option<String>,
    /// Date of this version
    date: Option<IsoDate>,
    /// Person or role responsible for it
    owner: Option<String>,
    /// Requirement ids it evidences (e.g. `SP.12.02 BR`)
    requirements: Option<Vec<String>>,
    /// SHA-256 of the file, hex
    sha256: Option<String>,
}
