namespace DeepSharp.Server;

/// <summary>
/// A request the server refuses, with everything OpenAI's error body carries:
/// <c>{"error":{"message","type","param","code"}}</c> and the HTTP status.
/// </summary>
public sealed class ApiException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="status">HTTP status code.</param>
    /// <param name="message">What went wrong, for people.</param>
    /// <param name="type">OpenAI's error type, for example <c>invalid_request_error</c>.</param>
    /// <param name="code">A machine-readable code such as <c>model_not_found</c>; null for none.</param>
    /// <param name="param">The request field at fault; null for none.</param>
    public ApiException(int status, string message, string type = "invalid_request_error", string? code = null, string? param = null)
        : base(message)
    {
        Status = status;
        Type = type;
        Code = code;
        Param = param;
    }

    /// <summary>HTTP status code.</summary>
    public int Status { get; }

    /// <summary>OpenAI's error type.</summary>
    public string Type { get; }

    /// <summary>A machine-readable code, or null.</summary>
    public string? Code { get; }

    /// <summary>The request field at fault, or null.</summary>
    public string? Param { get; }

    /// <summary>Seconds after which a retry may succeed (sent as <c>Retry-After</c>); null for none.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>A 400 for a request field with a bad value.</summary>
    public static ApiException BadParam(string param, string message) => new(400, message, param: param, code: "invalid_value");

    /// <summary>A 400 for a request field that must be present.</summary>
    public static ApiException Missing(string param) => new(400, $"'{param}' is required", param: param, code: "missing_required_parameter");
}
