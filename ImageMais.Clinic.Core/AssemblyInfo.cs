using System.Resources;

[assembly: NeutralResourcesLanguage("pt-BR")]
