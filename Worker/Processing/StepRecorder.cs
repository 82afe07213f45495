using Jobs.Model;
using Jobs.Signals;
using Jobs.Storage;
using Npgsql;

namespace Worker.Processing;

/// <summary>Records the steps of a multi-step job in <c>job_steps</c>, and tells event streams about each change.</summary>
public sealed class StepRecorder(NpgsqlDataSource dataSource, JobSignals signals)
{
    public const int MaxOutputLength = 1024;

    public async Task StartAsync(ClaimedJob job, int index, string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(JobStepsSql.Start);
        command.Parameters.Add(new() { Value = job.Id });
        command.Parameters.Add(new() { Value = (short)job.Attempt });
        command.Parameters.Add(new() { Value = (short)index });
        command.Parameters.Add(new() { Value = name });
        await command.ExecuteNonQueryAsync(cancellationToken);
        signals.PublishChanged([job.Id]);
    }

    /// <summary>Finishes the step; runs even when the job was cancelled, so the record shows where it stopped.</summary>
    public async Task FinishAsync(ClaimedJob job, int index, bool succeeded, string? output)
    {
        await using var command = dataSource.CreateCommand(JobStepsSql.Finish);
        command.Parameters.Add(new() { Value = job.Id });
        command.Parameters.Add(new() { Value = (short)job.Attempt });
        command.Parameters.Add(new() { Value = (short)index });
        command.Parameters.Add(new() { Value = succeeded ? JobStepState.Succeeded : JobStepState.Failed });
        command.Parameters.Add(new() { Value = output is null ? DBNull.Value : Truncate(output) });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
        signals.PublishChanged([job.Id]);
    }

    private static string Truncate(string output) => output.Length <= MaxOutputLength ? output : output[..(MaxOutputLength - 1)] + "…";
}
