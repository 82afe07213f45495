namespace Registry;

/// <summary>The pull side of the OCI distribution spec: /v2/, manifests and blobs, GET and HEAD.</summary>
public static class DistributionApi
{
    public static void MapDistributionApi(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
            return next(context);
        });
        app.MapMethods("/v2/", ["GET", "HEAD"], () => TypedResults.Ok());
        app.MapMethods("/v2/{**path}", ["GET", "HEAD"], Serve);
        app.MapFallback((HttpContext context) =>
            Error(StatusCodes.Status405MethodNotAllowed, "UNSUPPORTED", $"{context.Request.Method} is not supported: this registry is read-only."));
    }

    private static IResult Serve(string path, LayoutStore store)
    {
        // <name>/manifests/<reference> or <name>/blobs/<digest>; the name itself may contain slashes.
        var manifests = path.LastIndexOf("/manifests/", StringComparison.Ordinal);
        var blobs = path.LastIndexOf("/blobs/", StringComparison.Ordinal);
        if (manifests > 0)
        {
            var (name, reference) = (path[..manifests], path[(manifests + "/manifests/".Length)..]);
            if (!LayoutStore.IsRepositoryName(name))
            {
                return Error(StatusCodes.Status400BadRequest, "NAME_INVALID", $"Invalid repository name '{name}'.");
            }
            return store.FindManifest(name, reference) is { } manifest && store.FindBlob(name, manifest.Digest) is { } file
                ? Content(file, manifest.MediaType, manifest.Digest)
                : Error(StatusCodes.Status404NotFound, "MANIFEST_UNKNOWN", $"{name}:{reference} is not in this registry.");
        }
        if (blobs > 0)
        {
            var (name, digest) = (path[..blobs], path[(blobs + "/blobs/".Length)..]);
            if (!LayoutStore.IsRepositoryName(name) || !LayoutStore.IsDigest(digest))
            {
                return Error(StatusCodes.Status400BadRequest, "DIGEST_INVALID", $"Invalid repository name or digest in '{path}'.");
            }
            return store.FindBlob(name, digest) is { } file
                ? Content(file, "application/octet-stream", digest)
                : Error(StatusCodes.Status404NotFound, "BLOB_UNKNOWN", $"{digest} is not in {name}.");
        }
        return Error(StatusCodes.Status404NotFound, "NAME_UNKNOWN", $"No such path: /v2/{path}");
    }

    private static IResult Content(string file, string mediaType, string digest) =>
        new DigestFileResult(TypedResults.PhysicalFile(file, mediaType), digest);

    private static IResult Error(int status, string code, string message) =>
        TypedResults.Json(new { errors = new[] { new { code, message } } }, statusCode: status);

    /// <summary>A file answer (HEAD gets the headers only) that names its digest, as registries do.</summary>
    private sealed class DigestFileResult(IResult file, string digest) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers["Docker-Content-Digest"] = digest;
            return file.ExecuteAsync(httpContext);
        }
    }
}
