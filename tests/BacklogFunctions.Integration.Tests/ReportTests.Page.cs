using System.Net;
using System.Text.RegularExpressions;
using BacklogFunctions.Host;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// The report page's sign-in over real HTTP: the read key is typed into a form and exchanged for a short-lived,
/// protected session cookie; the key in the URL no longer opens the page; every HTML answer carries the security
/// headers; requests that change state with the cookie must come from the page itself.
/// </summary>
public sealed partial class ReportTests
{
    private const string CookieName = "backlog-report-session";

    [Fact]
    public async Task Without_a_session_the_page_is_the_sign_in_form_and_the_key_in_the_url_opens_nothing()
    {
        using var browser = Browser();
        foreach (var path in new[] { "/api/reports/page", $"/api/reports/page?code={Key}" })
        {
            using var response = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            AssertSignInForm(html);
            Assert.False(response.Headers.Contains("Set-Cookie"), path);
        }

        // Nor does the API's key header: the page is for people, the key header for API clients.
        using var withHeader = new HttpRequestMessage(HttpMethod.Get, "/api/reports/page");
        withHeader.Headers.Add("x-functions-key", Key);
        AssertSignInForm(await (await browser.SendAsync(withHeader)).Content.ReadAsStringAsync());

        // The page's own requests need a session too; its script and styles are public and hold nothing.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SendAsync(Page(HttpMethod.Post, $"/api/reports/page/{_last}/render", cookie: null))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsync($"/api/reports/page/{_last}/render?code={Key}", null)).StatusCode);
        using var script = await browser.GetAsync("/api/reports/page.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("data-render", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var styles = await browser.GetAsync("/api/reports/page.css");
        Assert.Equal("text/css", styles.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(styles.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task A_wrong_key_gets_401_the_form_again_and_no_cookie()
    {
        using var browser = Browser();
        foreach (var wrong in new[] { "not-the-key-0123456789", Key + "x", Key[..^1], string.Empty })
        {
            using var response = await PostSignInAsync(browser, wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.False(response.Headers.Contains("Set-Cookie"));
            var html = await response.Content.ReadAsStringAsync();
            AssertSignInForm(html);
            Assert.Contains("Sign-in failed", html, StringComparison.Ordinal);
            Assert.True(wrong.Length == 0 || !html.Contains(wrong, StringComparison.Ordinal), "the presented key is not echoed");
            AssertSecurityHeaders(response, html);
        }

        // A key in the query string of the form's target is not read.
        using var query = await browser.PostAsync($"/api/reports/page/sign-in?key={Key}", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.Unauthorized, query.StatusCode);

        // A sign-in posted by another site is refused before the key is looked at.
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/api/reports/page/sign-in") { Content = new FormUrlEncodedContent([new("key", Key)]) };
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var refused = await browser.SendAsync(crossSite);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task The_right_key_gets_a_strict_http_only_session_cookie_for_api_paths_and_the_page_with_figures()
    {
        using var browser = Browser();
        using var response = await PostSignInAsync(browser, Key);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/api/reports/page", response.Headers.Location?.OriginalString);

        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        var attributes = setCookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.StartsWith(CookieName + "=", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("path=/api", attributes);
        Assert.Contains("max-age=1800", attributes);
        // These tests run the program as the Functions host's custom handler, whose site is HTTPS only: always
        // Secure (standalone over plain HTTP it is not, see ReportPageEasyAuthTests).
        Assert.Contains("secure", attributes);
        Assert.DoesNotContain(Key, setCookie, StringComparison.Ordinal);

        var cookie = setCookie.Split(';')[0];
        using var page = await browser.SendAsync(Page(HttpMethod.Get, "/api/reports/page", cookie));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("data-figure=\"backlog\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-render=\"/api/reports/page/{_last}/render\"", html, StringComparison.Ordinal);
        Assert.Contains("action=\"/api/reports/page/sign-out\"", html, StringComparison.Ordinal);
        AssertSecurityHeaders(page, html);

        // "Render now" as the page's script sends it: the cookie and the browser's same-origin signals.
        using var render = await browser.SendAsync(Page(HttpMethod.Post, $"/api/reports/page/{_last}/render", cookie));
        Assert.Equal(HttpStatusCode.OK, render.StatusCode);
        using var olderBrowser = Page(HttpMethod.Post, $"/api/reports/page/{_last.Previous}/render", cookie, site: null);
        olderBrowser.Headers.Add("Origin", _client.BaseAddress!.GetLeftPart(UriPartial.Authority));
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(olderBrowser)).StatusCode);
        Assert.Contains((await GetAsync("/api/reports")).GetProperty("reports").EnumerateArray(), r => r.GetProperty("period").GetString() == _last.ToString());

        // The report API takes the session as well as the key (the same-origin rule applies there too).
        using var list = await browser.SendAsync(Page(HttpMethod.Get, "/api/reports", cookie, site: null));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);

        // Signing out removes the cookie from the browser; the page is the form again.
        using var signOut = await browser.SendAsync(Page(HttpMethod.Post, "/api/reports/page/sign-out", cookie));
        Assert.Equal(HttpStatusCode.SeeOther, signOut.StatusCode);
        var cleared = Assert.Single(signOut.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(CookieName + "=;", cleared, StringComparison.Ordinal);
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/api", cleared, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_expired_or_tampered_session_gets_the_form_again()
    {
        using var browser = Browser();
        var cookie = await SignInAsync(browser);
        var lifetime = TimeSpan.FromMinutes(_app.Services.GetRequiredService<IOptions<ReportsOptions>>().Value.SessionMinutes);

        // Tampered: one character of the protected value changed, or the value cut short.
        var value = cookie[(CookieName.Length + 1)..];
        var middle = value.Length / 2;
        foreach (var forged in new[] { value[..middle] + (value[middle] == 'A' ? 'B' : 'A') + value[(middle + 1)..], value[..^4], "djF8OTk5OTk5OTk5OTk5OQ", "v1|99999999999999" })
        {
            var tampered = $"{CookieName}={forged}";
            AssertSignInForm(await (await browser.SendAsync(Page(HttpMethod.Get, "/api/reports/page", tampered))).Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SendAsync(Page(HttpMethod.Post, $"/api/reports/page/{_last}/render", tampered))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SendAsync(Page(HttpMethod.Get, "/api/reports", tampered))).StatusCode);
        }

        // Still valid a second before it ends, then the form again (and the browser is told to forget it).
        _clock.Advance(lifetime - TimeSpan.FromSeconds(1));
        Assert.Contains("data-figure=\"backlog\"", await (await browser.SendAsync(Page(HttpMethod.Get, "/api/reports/page", cookie))).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        _clock.Advance(TimeSpan.FromSeconds(1));
        using var expired = await browser.SendAsync(Page(HttpMethod.Get, "/api/reports/page", cookie));
        Assert.Equal(HttpStatusCode.OK, expired.StatusCode);
        AssertSignInForm(await expired.Content.ReadAsStringAsync());
        Assert.StartsWith(CookieName + "=;", Assert.Single(expired.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SendAsync(Page(HttpMethod.Post, $"/api/reports/page/{_last}/render", cookie))).StatusCode);
    }

    [Fact]
    public async Task Render_with_the_session_cookie_from_another_site_or_without_a_same_origin_signal_is_refused()
    {
        using var browser = Browser();
        var cookie = await SignInAsync(browser);
        foreach (var path in new[] { $"/api/reports/page/{_last}/render", $"/api/reports/{_last}/render" })
        {
            foreach (var site in new[] { "cross-site", "same-site", "none" })
            {
                Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(Page(HttpMethod.Post, path, cookie, site))).StatusCode);
            }

            using var foreignOrigin = Page(HttpMethod.Post, path, cookie, site: null);
            foreignOrigin.Headers.Add("Origin", "https://attacker.example");
            Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(foreignOrigin)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(Page(HttpMethod.Post, path, cookie, site: null))).StatusCode);
        }

        // Nothing was rendered; API clients with the key are not subject to the rule.
        Assert.Empty((await GetAsync("/api/reports")).GetProperty("reports").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync($"/api/reports/{_last}/render", null)).StatusCode);
    }

    [Fact]
    public async Task Every_html_answer_carries_the_security_headers_and_no_inline_script_or_style()
    {
        using var browser = Browser();
        var cookie = await SignInAsync(browser);
        var answers = new List<HttpResponseMessage>
        {
            await browser.GetAsync("/api/reports/page"),
            await PostSignInAsync(browser, "wrong-key-0123456789abcdef"),
            await browser.SendAsync(Page(HttpMethod.Get, "/api/reports/page", cookie)),
        };
        foreach (var response in answers)
        {
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            AssertSecurityHeaders(response, await response.Content.ReadAsStringAsync());
            response.Dispose();
        }

        // JSON answers are not sniffed as anything else either.
        using var json = await _client.GetAsync("/api/reports");
        Assert.Equal("nosniff", Assert.Single(json.Headers.GetValues("X-Content-Type-Options")));
    }

    private HttpClient Browser() =>
        new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = _client.BaseAddress };

    private static Task<HttpResponseMessage> PostSignInAsync(HttpClient browser, string key) =>
        browser.PostAsync("/api/reports/page/sign-in", new FormUrlEncodedContent([new("key", key)]));

    /// <summary>Signs in with the read key through the form; answers the cookie as a browser sends it back.</summary>
    private static async Task<string> SignInAsync(HttpClient browser)
    {
        using var response = await PostSignInAsync(browser, Key);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return Assert.Single(response.Headers.GetValues("Set-Cookie")).Split(';')[0];
    }

    /// <summary>A request as the page's browser makes it: the cookie and, by default, <c>Sec-Fetch-Site: same-origin</c>.</summary>
    private static HttpRequestMessage Page(HttpMethod method, string path, string? cookie, string? site = "same-origin")
    {
        var request = new HttpRequestMessage(method, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (site is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", site);
        }

        return request;
    }

    private static void AssertSignInForm(string html)
    {
        Assert.Contains("<form class=\"sign-in\" method=\"post\" action=\"/api/reports/page/sign-in\">", html, StringComparison.Ordinal);
        Assert.Contains("type=\"password\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-figure", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-file", html, StringComparison.Ordinal);
        Assert.DoesNotContain("blob.core", html, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", html, StringComparison.Ordinal);
    }

    internal static void AssertSecurityHeaders(HttpResponseMessage response, string html)
    {
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToDictionary(d => d.Split(' ')[0], d => d[(d.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("http", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("*", csp, StringComparison.Ordinal);
        Assert.Equal("'none'", directives["default-src"]);
        Assert.Equal("'self'", directives["script-src"]);
        Assert.Equal("'self'", directives["style-src"]);
        Assert.Equal("'self'", directives["form-action"]);
        Assert.Equal("'none'", directives["frame-ancestors"]);
        Assert.Equal("'none'", directives["base-uri"]);
        Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store");
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));

        // The policy would block inline code, so there is none: scripts and styles are files of this origin.
        Assert.DoesNotMatch(new Regex("<script(?![^>]*\\ssrc=\"/api/reports/page\\.js\")", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(new Regex("\\s(style|on[a-z]+)=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
    }
}
