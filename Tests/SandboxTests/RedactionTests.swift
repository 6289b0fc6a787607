import Foundation
import Testing
@testable import Sandbox

struct RedactionTests {
    @Test func secretNamedValuesAreRedacted() {
        let env = ["OPENAI_API_KEY": "sk-abcdef123456", "GH_TOKEN": "ghp_zzzzzzzz", "db_password": "correct-horse",
                   "CLIENT_SECRET": "s3cr3t-value", "GOOGLE_CREDENTIALS": "{json-cred}", "PATH": "/usr/bin:/bin", "SHORT_KEY": "1"]
        let values = Redaction.secretValues(in: env)
        let text = "key sk-abcdef123456 token ghp_zzzzzzzz pw correct-horse s3cr3t-value {json-cred} in /usr/bin:/bin with 1"
        let redacted = Redaction.redact(text, values: values)
        for secret in ["sk-abcdef123456", "ghp_zzzzzzzz", "correct-horse", "s3cr3t-value", "{json-cred}"] {
            #expect(!redacted.contains(secret))
        }
        #expect(redacted.contains("/usr/bin:/bin"), "ordinary variables stay")
        #expect(redacted.hasSuffix("with 1"), "values too short to be secrets stay")
    }

    @Test func registeredSecretsAreRedacted() {
        let key = "model-key-" + UUID().uuidString
        #expect(Redaction.redact("Authorization: Bearer \(key)").contains(key))
        Redaction.register(key)
        #expect(Redaction.redact("Authorization: Bearer \(key)") == "Authorization: Bearer \(Redaction.placeholder)")
    }

    @Test func namesAreMatchedInAnyCase() {
        #expect(SecretNames.isSecret("npm_config__authToken"))
        #expect(SecretNames.isSecret("AWS_SECRET_ACCESS_KEY"))
        #expect(!SecretNames.isSecret("PATH"))
    }
}
