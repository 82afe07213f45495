namespace Aspire.Hosting;

/// <summary>A problem with the application model or its environment, reported to the user as one clear message.</summary>
public class DistributedApplicationException : Exception
{
    public DistributedApplicationException()
    {
    }

    public DistributedApplicationException(string message) : base(message)
    {
    }

    public DistributedApplicationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
