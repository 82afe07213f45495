using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

internal sealed class ApiKeyOptionsValidator : IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var key = options.Keys[i];
            if (!ApiKeyStore.TryParseHash(key.Sha256, out _))
            {
                failures.Add($"Auth:Keys:{i}:Sha256 must be the SHA-256 of the key as 64 hex characters or base64 (key '{key.Name}').");
            }
            if (key.Scopes.Any(string.IsNullOrWhiteSpace))
            {
                failures.Add($"Auth:Keys:{i}:Scopes must not contain empty scopes (key '{key.Name}').");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
