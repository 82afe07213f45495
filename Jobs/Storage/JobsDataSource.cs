using Npgsql;

namespace Jobs.Storage;

/// <summary>How the Api and the workers configure their <c>jobsdb</c> data source.</summary>
public static class JobsDataSource
{
    /// <summary>
    /// No session reset when a connection returns to the pool. Npgsql otherwise prepends five statements (CLOSE ALL,
    /// UNLISTEN *, pg_advisory_unlock_all(), DISCARD SEQUENCES, DISCARD TEMP) to the next command of every rented
    /// connection, and renting one per enqueue, claim and completion is the hot path. Nothing here leaves session
    /// state behind: no LISTEN, SET or temp tables, and both advisory locks (migrations, maintenance leader) are
    /// released explicitly.
    /// </summary>
    public static void Configure(NpgsqlDataSourceBuilder builder) => builder.ConnectionStringBuilder.NoResetOnClose = true;
}
