namespace Aspire.Hosting.ApplicationModel;

/// <summary>How a parameter gets a value when none is configured.</summary>
public abstract class ParameterDefault
{
    public abstract string GetDefaultValue();
}

/// <summary>A random value with Aspire's rules (22+ characters, chosen character classes); persisted once generated.</summary>
public sealed class GenerateParameterDefault : ParameterDefault
{
    public int MinLength { get; set; } = 22;

    public bool Lower { get; set; } = true;

    public bool Upper { get; set; } = true;

    public bool Numeric { get; set; } = true;

    public bool Special { get; set; } = true;

    public int MinLower { get; set; }

    public int MinUpper { get; set; }

    public int MinNumeric { get; set; }

    public int MinSpecial { get; set; }

    public override string GetDefaultValue() => PasswordGenerator.Generate(this);
}
