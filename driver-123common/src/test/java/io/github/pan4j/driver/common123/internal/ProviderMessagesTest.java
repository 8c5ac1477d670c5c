package io.github.pan4j.driver.common123.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProviderMessagesTest {
  @Test
  void troubleOn123sSide_soundsTemporary_refusalsDoNot() {
    for (String m : new String[] {"内部错误", "系统繁忙，请稍后再试", "服务异常", "服务器开小差了"}) {
      assertTrue(ProviderMessages.soundsTemporary(m), m);
    }
    for (String m : new String[] {"clientSecret错误", "账号或密码错误", "账号已停止服务", "token is expired", "", null}) {
      assertFalse(ProviderMessages.soundsTemporary(m), String.valueOf(m));
    }
  }
}
