global using Api.Apis;
