namespace Aspire.Dashboard.Otlp.Http;

// A request body that is not valid OTLP; answered with 400 and a google.rpc.Status.
public sealed class OtlpFormatException : Exception
{
    public OtlpFormatException()
    {
    }

    public OtlpFormatException(string message) : base(message)
    {
    }

    public OtlpFormatException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
