global using Aspire.Hosting;
global using Microsoft.Extensions.Configuration;
