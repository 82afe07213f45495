using Aspire.Dashboard.Components;

namespace Dashboard.Tests.Components;

public class AnsiToHtmlTests
{
    [Theory]
    [InlineData("plain <b>text</b>", "plain &lt;b&gt;text&lt;/b&gt;")]
    [InlineData("\u001b[32minfo\u001b[0m: ok", "<span class=\"ansi-green\">info</span>: ok")]
    [InlineData("\u001b[1;91mFAIL\u001b[39m still bold\u001b[0m", "<span class=\"ansi-bright-red ansi-bold\">FAIL</span><span class=\"ansi-bold\"> still bold</span>")]
    [InlineData("\u001b[38;5;9mx\u001b[0m", "<span class=\"ansi-red\">x</span>")]
    [InlineData("\u001b[38;2;255;0;0mx\u001b[m", "x")]
    [InlineData("\u001b[2Kcleared \u001b[?25lcursor", "cleared cursor")]
    [InlineData("unterminated \u001b[31", "unterminated ")]
    public void Renders_colours_and_drops_other_sequences(string input, string html) =>
        Assert.Equal(html, AnsiToHtml.Convert(input));

    [Fact]
    public void Text_inside_colours_is_encoded() =>
        Assert.Equal("<span class=\"ansi-red\">&lt;script&gt;</span>", AnsiToHtml.Convert("\u001b[31m<script>\u001b[0m"));
}
