/// Webhook bodies shaped like Meta's documented examples (META.md §2.4/2.5).
enum WebhookFixtures {
    /// Two entries (two accounts), five messaging items of every common kind, unknown fields and attachment types.
    static let batched = """
        {"object":"instagram","entry":[
         {"id":"17841400000000001","time":1700000000999,"unknown_entry_field":{"a":1},"messaging":[
           {"sender":{"id":"IGSID-1"},"recipient":{"id":"17841400000000001"},"timestamp":1700000000001,
            "message":{"mid":"mid.1","text":"hi","future_field":[1,2,3]}},
           {"sender":{"id":"IGSID-1"},"recipient":{"id":"17841400000000001"},"timestamp":1700000000002,
            "message":{"mid":"mid.2","attachments":[{"type":"ig_post","payload":{"url":"https://cdn/p"}},
                                                    {"type":"brand_new_type","payload":{"title":"x"}}]}},
           {"sender":{"id":"IGSID-1"},"recipient":{"id":"17841400000000001"},"timestamp":1700000000003,
            "reaction":{"mid":"mid.1","action":"react","reaction":"love","emoji":"\\u2764"}}
         ]},
         {"id":"17841400000000002","time":1700000001000,"messaging":[
           {"sender":{"id":"17841400000000002"},"recipient":{"id":"IGSID-2"},"timestamp":1700000000004,
            "message":{"mid":"mid.3","text":"sent by a human","is_echo":true}},
           {"sender":{"id":"IGSID-2"},"recipient":{"id":"17841400000000002"},"timestamp":1700000000005,
            "read":{"mid":"mid.3"}}
         ]}
        ]}
        """

    /// A dashboard test event: `changes[]`, no `messaging[]`.
    static let changesTest = """
        {"object":"instagram","entry":[{"id":"0","time":1700000000000,
          "changes":[{"field":"messages","value":{"sender":{"id":"12334"},"recipient":{"id":"23245"},
          "timestamp":"1527459824","message":{"mid":"random_mid","text":"random_text"}}}]}]}
        """

    /// A Messenger (`object: page`) delivery with a quick reply, a postback and a referral.
    static let page = """
        {"object":"page","entry":[{"id":"PAGE-1","time":1458692752478,"messaging":[
          {"sender":{"id":"PSID-1"},"recipient":{"id":"PAGE-1"},"timestamp":1458692752478,
           "message":{"mid":"m_1","text":"Prices","quick_reply":{"payload":"PRICES"},
                      "reply_to":{"mid":"m_0"}}},
          {"sender":{"id":"PSID-1"},"recipient":{"id":"PAGE-1"},"timestamp":1458692752479,
           "postback":{"title":"Get started","payload":"START"}},
          {"sender":{"id":"PSID-1"},"recipient":{"id":"PAGE-1"},"timestamp":1458692752480,
           "referral":{"ref":"summer","source":"ADS","type":"OPEN_THREAD","ad_id":"AD-9"}},
          {"sender":{"id":"PSID-1"},"recipient":{"id":"PAGE-1"},"timestamp":1458692752481,
           "optin":{"ref":"x"}}
        ]}]}
        """
}
