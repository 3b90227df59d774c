extension TenantWeb {
    /// The tenant pages' templates (tenant, inbox and onboarding), compiled into the binary.
    public static var templates: [PageTemplate] {
        [
            PageTemplate(name: "tenant-login", embedded: PackageResources.tenant_login_mustache),
            PageTemplate(name: "tenant-overview", embedded: PackageResources.tenant_overview_mustache),
            PageTemplate(name: "tenant-persona-form", embedded: PackageResources.tenant_persona_form_mustache),
            PageTemplate(name: "inbox-list", embedded: PackageResources.inbox_list_mustache),
            PageTemplate(name: "inbox-thread", embedded: PackageResources.inbox_thread_mustache),
            PageTemplate(name: "inbox-messages", embedded: PackageResources.inbox_messages_mustache),
            PageTemplate(name: "onboarding-steps", embedded: PackageResources.onboarding_steps_mustache),
            PageTemplate(name: "onboarding-account", embedded: PackageResources.onboarding_account_mustache),
            PageTemplate(name: "onboarding-connect", embedded: PackageResources.onboarding_connect_mustache),
            PageTemplate(name: "onboarding-persona", embedded: PackageResources.onboarding_persona_mustache),
            PageTemplate(name: "onboarding-result", embedded: PackageResources.onboarding_result_mustache),
        ]
    }

    /// A renderer that knows the layout and ``templates``.
    /// - Returns: the renderer.
    /// - Throws: ``WebError`` `.templateInvalid` when a template does not parse.
    public static func makeRenderer() throws -> PageRenderer { try PageRenderer(templates: templates) }
}
