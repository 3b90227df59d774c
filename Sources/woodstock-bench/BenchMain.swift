import ArgumentParser

/// `woodstock-bench`: the Swift side of `scripts/bench`; each benchmark is one subcommand in its own file.
@main
struct BenchMain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "woodstock-bench",
        abstract: "Benchmarks run by scripts/bench against the local servers.",
        subcommands: [
            WebhookBench.self, RedisBench.self, JobsBench.self, VaultBench.self, WebhookParseBench.self,
            LifecycleBench.self, ClusterBench.self, DashboardBench.self,
        ]
    )
}
