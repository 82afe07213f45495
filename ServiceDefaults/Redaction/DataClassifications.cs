using Microsoft.Extensions.Compliance.Classification;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The taxonomy ServiceDefaults registers redactors for (Microsoft.Extensions.Compliance): services resolve
/// <c>IRedactorProvider.GetRedactor(DataClassifications.Personal)</c> to mask a value they must log or store.
/// </summary>
public static class DataClassifications
{
    public const string TaxonomyName = "ServiceDefaults";

    /// <summary>Credentials and keys: erased entirely.</summary>
    public static DataClassification Secret { get; } = new(TaxonomyName, nameof(Secret));

    /// <summary>Personal data in free text: emails, phone numbers, card numbers and the like are masked.</summary>
    public static DataClassification Personal { get; } = new(TaxonomyName, nameof(Personal));
}
