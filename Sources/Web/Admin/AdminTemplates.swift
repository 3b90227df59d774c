/// The dashboard's templates, compiled in from `Sources/Web/Templates/admin-*.mustache`.
enum AdminTemplates {
    static var all: [PageTemplate] {
        [
            PageTemplate(name: "admin-login", embedded: PackageResources.admin_login_mustache),
            PageTemplate(name: "admin-queues", embedded: PackageResources.admin_queues_mustache),
            PageTemplate(name: "admin-dead", embedded: PackageResources.admin_dead_mustache),
            PageTemplate(name: "admin-tenants", embedded: PackageResources.admin_tenants_mustache),
            PageTemplate(name: "admin-schedule", embedded: PackageResources.admin_schedule_mustache),
            PageTemplate(name: "admin-audit", embedded: PackageResources.admin_audit_mustache),
        ]
    }
}
